"""`--dsn` on either side of every command and group of the CLI (issue 23, point 5), the tree walked from the typer
app itself so a new command is covered: before the command, between a group and its command, after the command.
Where it is given is where the command connects; commands that connect to no database accept it and do as
without it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main

from console.commands import app
from console.engines.process import free_port
from tests.conftest import CliResult, TestDb
from tests.test_condition_matrix import MATRIX

Cli = Callable[..., CliResult]
NO_DATABASE = "connects to no database"  # what the --dsn help of a command that connects to none says


def command_tree() -> dict[tuple[str, ...], str]:
    """Every command and group path of the app -> its --dsn option's help ("" when it has none)."""
    found: dict[tuple[str, ...], str] = {}

    def walk(command: object, path: tuple[str, ...]) -> None:
        options = {opt: getattr(param, "help", "") or "" for param in getattr(command, "params", [])
                   for opt in param.opts}
        found[path] = options.get("--dsn", "")
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


TREE = command_tree()
PATHS = sorted(path for path in TREE if path)
GROUPS = sorted({path[:1] for path in PATHS if len(path) > 1})
LEAVES = sorted(path for path in PATHS if path not in GROUPS)
CONNECTING = [path for path in LEAVES if NO_DATABASE not in TREE[path]]


def _placements(path: tuple[str, ...], rest: tuple[str, ...], dsn: str) -> dict[str, tuple[str, ...]]:
    """The command line with --dsn before the command, after it, and between its group and it."""
    placed = {"before": ("--dsn", dsn, *path, *rest), "after": (*path, *rest, "--dsn", dsn)}
    if len(path) > 1:
        placed["between"] = (*path[:1], "--dsn", dsn, *path[1:], *rest)
    return placed


def _args(path: tuple[str, ...], state: Path) -> tuple[str, ...]:
    """The command's sensible arguments after its path (the condition matrix's first run of it)."""
    run = MATRIX[" ".join(path)].runs[0]
    return tuple(a.replace("{pid}", "1").replace("{state}", str(state)) for a in run[len(path):])


def test_the_tree_has_every_command_and_each_takes_dsn() -> None:
    assert {"audit", "job run", "keys list", "prices sync", "engine start", "chunk drop"} <= {" ".join(p) for p in
                                                                                            LEAVES}
    assert {("job",), ("keys",), ("prices",), ("engine",), ("chunk",)} <= set(GROUPS)
    assert [path for path, help_text in TREE.items() if not help_text] == [], "a command without --dsn"
    assert {" ".join(p) for p in LEAVES if p not in CONNECTING} == {
        "audit", "demo", "engine start", "engine status", "engine stop", "replay"}


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_help_takes_dsn_on_either_side(cli: Cli, path: tuple[str, ...]) -> None:
    usage = f"Usage: obsconsole {' '.join(path)} "
    for where, args in _placements(path, ("--help",), "postgresql://obs@db.example.com/obs").items():
        shown = cli(*args)
        assert shown.code == 0 and usage in shown.stdout, (where, args, shown.output)
        assert "--dsn" in shown.stdout, (where, shown.stdout)


@pytest.mark.parametrize("path", CONNECTING, ids=" ".join)
def test_the_command_connects_where_dsn_says(cli: Cli, tmp_path: Path, path: tuple[str, ...]) -> None:
    """An unreachable server named by --dsn, wherever it is given, is the one the command reports; the
    environment names another (a command that ignored the flag would report that one), and so does a --dsn before
    the command when one is given nearer it (the innermost wins)."""
    flagged, decoy = free_port(), free_port()
    decoy_dsn = f"postgresql://obs:decoy-pw@127.0.0.1:{decoy}/decoy"
    env = {"OBSCONSOLE_DSN": decoy_dsn}
    placed = _placements(path, _args(path, tmp_path), f"postgresql://obs@127.0.0.1:{flagged}/obs")
    placed |= {f"{where} over a --dsn before": ("--dsn", decoy_dsn, *args) for where, args in placed.items()
               if where != "before"}
    for where, args in placed.items():
        ran = cli(*args, extra_env=env, stdin=MATRIX[" ".join(path)].stdin)
        assert f"127.0.0.1:{flagged}" in ran.output and f":{decoy}" not in ran.output, (where, args, ran.output)
        assert "No such option" not in ran.output and ran.code in (0, 1, 2), (where, ran.output)


@pytest.mark.parametrize("args", [("audit",), ("engine", "status", "--kind", "tsl"),
                                  ("replay", "missing.obsrec", "--info")], ids=" ".join)
def test_a_command_that_connects_nowhere_does_as_without_dsn(cli: Cli, args: tuple[str, ...]) -> None:
    plain = cli(*args)
    path = tuple(a for a in args if a in {"audit", "engine", "status", "replay"})
    for where, placed in _placements(path, args[len(path):], "postgresql://obs@127.0.0.1:1/obs").items():
        assert cli(*placed) == plain, (where, placed)


def test_a_real_database_named_after_the_command(cli: Cli, native_db: TestDb) -> None:
    """On a real engine, the DSN after the command or between group and command is the database used, while the
    environment names an unreachable one."""
    env = {"OBSCONSOLE_DSN": f"postgresql://obs@127.0.0.1:{free_port()}/obs"}
    migrated = cli("migrate", "--to", "003", "--dsn", native_db.dsn, extra_env=env)
    assert migrated.code == 0, migrated.output
    status = cli("status", "--dsn", native_db.dsn, extra_env=env)
    assert status.code == 0 and any(line.split()[:5] == ["003", "create", "indexes", "applied", "ok"]
                                    for line in status.stdout.splitlines()), status.output
    keys = cli("keys", "--dsn", native_db.dsn, "list", extra_env=env)
    assert keys.code == 2 and 'relation "api_keys" does not exist' in keys.stderr, keys.output  # 006 not applied
    job = cli("job", "--dsn", native_db.dsn, "pause", "1", "--dry-run", extra_env=env)
    assert job.code == 2 and "this server runs the apache edition" in job.stderr, job.output  # the edition refuses
