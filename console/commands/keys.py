"""`obsconsole keys create|list|revoke|check`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from console.commands.common import DsnOption, group

keys_app = group("keys", "API keys: create (shown once), list, revoke, check.")


@keys_app.command("create")
def keys_create(
    email: Annotated[str, typer.Option("--email", help="Owner's email (the user is created if new).")],
    name: Annotated[str, typer.Option("--name", help="What the key is for.")],
    scopes: Annotated[str, typer.Option("--scopes", help="Comma-separated scopes.")] = "ingest",
    rate_limit: Annotated[int, typer.Option("--rate-limit", help="Requests/minute (1 to 1000000).")] = 60,
    expires_in_days: Annotated[int | None, typer.Option("--expires-in-days", help="1 to 3650.")] = None,
    dsn: DsnOption = None,
) -> None:
    """Create a key and print it once on stdout; only its SHA-256 digest is stored."""
    from console.infra import dsn as dsn_mod
    from console.infra import write_gate
    from console.infra.db import connect
    from console.infra.fmt import printable
    from console.keys import service as api_keys

    parsed = api_keys.parse_scopes(scopes)
    api_keys.check_create_args(email=email, name=name, rate_limit=rate_limit, expires_in_days=expires_in_days)
    write_gate.refuse_read_only("keys create")
    with connect(dsn_mod.resolve(dsn), read_only=False) as conn:
        write_gate.require(conn, "keys create", api_keys.CREATE_NEEDS)
        created = api_keys.create(conn, email=email, name=name, scopes=parsed, rate_limit=rate_limit,
                                  expires_in_days=expires_in_days)
    if created.user_created:
        typer.echo(f"created user {printable(email)}", err=True)
    typer.echo(f"key {created.id} ({created.key_prefix}…) created; it is shown once, store it now:", err=True)
    typer.echo(created.key)


@keys_app.command("list")
def keys_list(
    email: Annotated[str | None, typer.Option("--email", help="Only this user's keys.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Every column, whatever the width.")] = False,
    dsn: DsnOption = None,
) -> None:
    """Keys with prefix, scopes and state (never the key or its hash)."""
    from console.infra import dsn as dsn_mod
    from console.infra.db import connect
    from console.infra.json_out import print_json
    from console.keys import service as api_keys

    with connect(dsn_mod.resolve(dsn)) as conn:
        rows = api_keys.list_keys(conn, email)
    if as_json:
        print_json({"keys": rows})
        return
    from console.commands.render.keys import print_keys

    print_keys(rows, wide=wide)


@keys_app.command("revoke")
def keys_revoke(
    ref: Annotated[str, typer.Argument(help="The key's id or its prefix (obs_xxxxxxxx).")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    dsn: DsnOption = None,
) -> None:
    """Revoke a key now (it stops working immediately). Asks for confirmation unless --yes."""
    from console.infra import dsn as dsn_mod
    from console.infra import write_gate
    from console.infra.db import connect
    from console.infra.errors import ConsoleError
    from console.infra.fmt import printable
    from console.keys import service as api_keys

    write_gate.refuse_read_only("keys revoke")
    if not yes:
        if not sys.stdin.isatty():
            raise ConsoleError("revoking a key needs confirmation: pass --yes when not on a terminal")
        typer.confirm(f"Revoke key {printable(ref)}? It stops working immediately", default=False, abort=True)
    with connect(dsn_mod.resolve(dsn), read_only=False) as conn:
        write_gate.require(conn, "keys revoke", api_keys.REVOKE_NEEDS)
        revoked = api_keys.revoke(conn, ref)
    if not revoked:
        raise ConsoleError(f"no active key with id or prefix {printable(ref)!r}", exit_code=1)
    for key_id, prefix, name in revoked:
        typer.echo(f"revoked key {key_id} ({printable(prefix)}…, {printable(name)})")


@keys_app.command("check")
def keys_check(dsn: DsnOption = None) -> None:
    """Read a key from stdin and say whether it is active (exit 0) or revoked/expired/unknown (exit 1)."""
    from console.infra import dsn as dsn_mod
    from console.infra.db import connect
    from console.keys import service as api_keys

    key = api_keys.read_key(sys.stdin.buffer.readline(api_keys.MAX_KEY_BYTES + 1))
    with connect(dsn_mod.resolve(dsn)) as conn:
        state = api_keys.check(conn, key)
    typer.echo(state)
    raise typer.Exit(0 if state == "active" else 1)
