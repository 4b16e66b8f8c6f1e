#!/usr/bin/env bash
# Install the native engine: Debian's PostgreSQL 15 + TimescaleDB 2.19.3 (Apache edition) built from
# Debian trixie's `timescaledb` source package. Idempotent: a second run only checks and exits.
# The machine's own apt sources are never touched: the trixie deb-src entry lives in a private list.
set -euo pipefail

TSDB_VERSION=2.19.3
PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
PKGLIBDIR_FILE="timescaledb-${TSDB_VERSION}.so"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

installed() {
  [ -x "$PG_CONFIG" ] && [ -f "$("$PG_CONFIG" --pkglibdir)/$PKGLIBDIR_FILE" ] \
    && [ -f "$("$PG_CONFIG" --sharedir)/extension/timescaledb--${TSDB_VERSION}.sql" ]
}

ensure_user() {
  # initdb refuses root: as root the engine layer runs the cluster as this unprivileged user.
  if [ "$(id -u)" -eq 0 ] && ! id -u obsconsole >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin obsconsole
  fi
}

if installed; then
  ensure_user
  echo "native engine: PostgreSQL 15 + TimescaleDB ${TSDB_VERSION} (apache) already installed"
  exit 0
fi

echo "native engine: installing PostgreSQL 15 server and build tools from Debian"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq postgresql-15 postgresql-server-dev-15 cmake gcc make dpkg-dev >/dev/null

work=$(mktemp -d /tmp/obsconsole-tsdb-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/lists/partial" "$work/apt/sourceparts"
cat > "$work/apt/trixie-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
cp "$work/apt/trixie-src.sources" "$work/apt/sourceparts/"
APT_OPTS=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$work/apt/sourceparts"
          -o "Dir::State::Lists=$work/apt/lists" -o "APT::Sandbox::User=root")
echo "native engine: fetching Debian's timescaledb ${TSDB_VERSION}+dfsg source (trixie, private apt list)"
apt-get "${APT_OPTS[@]}" update -qq
(cd "$work" && apt-get "${APT_OPTS[@]}" source -qq --download-only timescaledb 2>/dev/null)
dsc=$(ls "$work"/timescaledb_"${TSDB_VERSION}"+dfsg-*.dsc 2>/dev/null | head -n1)
if [ -z "$dsc" ]; then
  echo "native engine: trixie no longer serves timescaledb ${TSDB_VERSION}; found: $(ls "$work"/*.dsc)" >&2
  exit 1
fi
(cd "$work" && dpkg-source -x --skip-patches "$dsc" src >/dev/null 2>&1)

echo "native engine: building TimescaleDB ${TSDB_VERSION} (APACHE_ONLY) against PostgreSQL 15"
cd "$work/src"
./bootstrap -DAPACHE_ONLY=1 -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF -DWARNINGS_AS_ERRORS=OFF \
  -DPG_CONFIG="$PG_CONFIG" >/dev/null
make -C build -j"$(nproc)" >/dev/null
$SUDO make -C build install >/dev/null
installed
ensure_user
echo "native engine: TimescaleDB ${TSDB_VERSION} (apache) installed into $("$PG_CONFIG" --pkglibdir)"
