"""Which databases the fleet watches: every service of libpq's service file (PGSERVICEFILE, else
~/.pg_service.conf), narrowed by names or globs, and/or the entries of a fleet.toml (name, dsn or service, tags).

Bad input never stops the rest: a line the service file cannot hold, an unknown service, a duplicate name or a
malformed fleet.toml entry is one Problem line, and every other target is still watched. The service file is
read as libpq reads it (`[name]` sections of key=value lines, # comments), and each service is connected to as
`service=NAME`, so libpq resolves it exactly as `--dsn service=NAME` does everywhere else."""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from console.infra.dsn import MASK, ResolvedDsn, passwords_in
from console.infra.fmt import printable

SERVICE_TAG = "service"


@dataclass(frozen=True)
class Target:
    """One database of the fleet: its name, how to connect, its tags, and every secret its output must hide."""

    name: str
    dsn: ResolvedDsn
    tags: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()

    def scrub(self, text: str) -> str:
        """`text` with this target's passwords (in its DSN, or in its service section) replaced by ***."""
        for secret in sorted({*self.secrets, *passwords_in(self.dsn.dsn)}, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


@dataclass(frozen=True)
class Problem:
    """One piece of bad input, said in one line."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class Fleet:
    """The targets to watch, in the order given, and what was wrong with the input."""

    targets: list[Target] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, target: Target, source: str) -> None:
        if any(t.name == target.name for t in self.targets):
            self.problems.append(Problem(source, f"duplicate name {target.name!r}: the first one is kept"))
            return
        self.targets.append(target)


def service_file() -> Path:
    """The service file libpq reads: $PGSERVICEFILE, else ~/.pg_service.conf."""
    return Path(os.environ.get("PGSERVICEFILE") or Path.home() / ".pg_service.conf")


@dataclass(frozen=True)
class _Service:
    name: str
    options: dict[str, str]
    broken: str | None  # why libpq would refuse it


def _parse_services(text: str, source: str, problems: list[Problem]) -> list[_Service]:
    """libpq's reading of a service file: sections of key=value lines; a line without = breaks its section only
    (libpq checks the lines of the service it was asked for), a line outside any section is ignored."""
    services: list[_Service] = []
    name: str | None = None
    options: dict[str, str] = {}
    broken: str | None = None

    def close() -> None:
        if name is not None:
            services.append(_Service(name, options, broken))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            close()
            name, options, broken = (line[1:line.index("]")] if "]" in line else line[1:]).strip(), {}, None
            if not line.endswith("]") or not name:
                problems.append(Problem(source, f"line {number}: not a [service] header"))
                name = None
            continue
        if name is None:
            continue
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            broken = f"line {number} is not key=value"
            continue
        options[key.strip()] = value.strip()
    close()
    return services


def from_service_file(path: Path, selection: list[str] | None, fleet: Fleet) -> None:
    """Add the services of `path` (all, or those `selection` names or matches by glob) to `fleet`."""
    source = f"service file {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fleet.problems.append(Problem(source, "no such file (set PGSERVICEFILE or write ~/.pg_service.conf)"))
        return
    except (OSError, UnicodeDecodeError) as exc:
        fleet.problems.append(Problem(source, f"cannot be read: {printable(str(exc).splitlines()[0])}"))
        return
    services = _parse_services(text, source, fleet.problems)
    if not services:
        fleet.problems.append(Problem(source, "holds no [service] section"))
        return
    chosen = services
    if selection:
        chosen = []
        for pattern in selection:
            matched = [s for s in services if fnmatch.fnmatchcase(s.name, pattern)]
            if not matched:
                known = ", ".join(sorted({s.name for s in services}))
                fleet.problems.append(Problem(source, f"unknown service {printable(pattern)!r} (it has: "
                                                      f"{printable(known)})"))
            chosen += [s for s in matched if s not in chosen]
    seen: set[str] = set()
    for service in chosen:
        if service.name in seen:
            fleet.problems.append(Problem(source, f"duplicate service [{printable(service.name)}]: the first one "
                                                  "is kept"))
            continue
        seen.add(service.name)
        if service.broken:
            fleet.problems.append(Problem(source, f"service {printable(service.name)!r}: {service.broken} "
                                                  "(libpq refuses the service)"))
            continue
        secrets = tuple(v for k, v in service.options.items() if k == "password" and v)
        fleet.add(Target(service.name, ResolvedDsn(f"service={_quote(service.name)}", f"service {service.name}"),
                         (SERVICE_TAG,), secrets), source)


def _quote(value: str) -> str:
    """A key/value DSN value, quoted when it holds anything but plain characters."""
    if value and all(ch.isalnum() or ch in "._-" for ch in value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def from_toml(path: Path, fleet: Fleet) -> None:
    """Add the [[database]] entries of a fleet.toml to `fleet`: name, dsn or service, optional tags."""
    source = f"fleet file {path}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fleet.problems.append(Problem(source, "no such file"))
        return
    except (OSError, UnicodeDecodeError) as exc:
        fleet.problems.append(Problem(source, f"cannot be read: {printable(str(exc).splitlines()[0])}"))
        return
    except tomllib.TOMLDecodeError as exc:
        fleet.problems.append(Problem(source, f"is not valid TOML: {printable(str(exc))}"))
        return
    entries = data.get("database")
    if not isinstance(entries, list) or not entries:
        fleet.problems.append(Problem(source, "holds no [[database]] entry (name, dsn or service, tags)"))
        return
    for number, entry in enumerate(entries, start=1):
        where = f"{source}, database #{number}"
        if not isinstance(entry, dict):
            fleet.problems.append(Problem(where, "is not a table"))
            continue
        target = _toml_target(entry, where, fleet.problems)
        if target is not None:
            fleet.add(target, where)


def _toml_target(entry: dict[str, object], where: str, problems: list[Problem]) -> Target | None:
    unknown = sorted(set(entry) - {"name", "dsn", "service", "tags"})
    name, dsn, service, tags = entry.get("name"), entry.get("dsn"), entry.get("service"), entry.get("tags", [])
    message = None
    if unknown:
        message = f"unknown key {printable(unknown[0])!r} (known: name, dsn, service, tags)"
    elif not isinstance(name, str) or not name.strip():
        message = "needs a name (a string)"
    elif (dsn is None) == (service is None):
        message = f"{printable(name)!r} needs exactly one of dsn and service"
    elif not isinstance(dsn or service, str) or not str(dsn or service).strip():
        message = f"{printable(name)!r}: dsn or service must be a non-empty string"
    elif not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        message = f"{printable(name)!r}: tags must be a list of strings"
    if message is not None:
        if isinstance(dsn, str):
            for secret in passwords_in(dsn):
                message = message.replace(secret, MASK)
        problems.append(Problem(where, message))
        return None
    assert isinstance(name, str) and isinstance(tags, list)
    if isinstance(service, str):
        return Target(name, ResolvedDsn(f"service={_quote(service)}", f"service {service}"),
                      (*tags, SERVICE_TAG))
    assert isinstance(dsn, str)
    return Target(name, ResolvedDsn(dsn, f"{where.split(',')[0]} ({name})"), tuple(tags))


def load(*, services: str | None = None, fleet_file: Path | None = None, dsn: ResolvedDsn | None = None) -> Fleet:
    """The fleet to watch. `services` ("a,b" or globs) narrows the service file; `fleet_file` adds a fleet.toml's
    entries; with neither, every service of the service file. An explicit `dsn` (from --dsn) alone makes a fleet
    of one."""
    fleet = Fleet()
    selection = [s.strip() for s in services.split(",") if s.strip()] if services is not None else None
    if fleet_file is not None:
        from_toml(fleet_file, fleet)
    if selection is not None or fleet_file is None:
        if dsn is not None and selection is None:
            fleet.add(Target(dsn.endpoint if not dsn.dsn.startswith("service=") else dsn.dsn[8:], dsn), dsn.source)
        else:
            from_service_file(service_file(), selection, fleet)
    return fleet
