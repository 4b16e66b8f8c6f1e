"""The in-process runner behind the `cli` fixture (tests/inprocess.py) behaves as the installed script in a fresh
process: the same output and exit code for the same arguments, an escaping exception is a traceback and exit 1,
and nothing the command changes in the process outlives the call."""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

import console.cli
from tests import inprocess
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
NOWHERE = "postgresql://u:pw-secret@127.0.0.1:9/x?connect_timeout=1"


@pytest.mark.parametrize("args", [
    ("--help",), ("--version",), ("doctor", "--no-such-flag"), ("job",), ("status", "--dsn", NOWHERE),
    ("status", NOWHERE), ("migrate", "--to", "x"), ("prices", "list", "--dsn", "not a dsn"),
], ids=["help", "version", "unknown-flag", "group-help", "unreachable", "dsn-as-argument", "bad-value", "bad-dsn"])
def test_in_process_matches_a_fresh_process(cli: Cli, args: tuple[str, ...]) -> None:
    inside, outside = cli(*args), cli(*args, process=True)
    assert (inside.code, inside.stdout, inside.stderr) == (outside.code, outside.stdout, outside.stderr)


def test_an_escaping_exception_is_a_traceback_and_exit_1(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_kwargs: object) -> int:
        raise RuntimeError("a bug nothing caught")

    monkeypatch.setattr(console.cli, "app", broken)
    result = cli("status")
    assert result.code == 1, result.output
    assert result.stderr.startswith("Traceback (most recent call last):\n"), result.stderr
    assert result.stderr.rstrip().endswith("RuntimeError: a bug nothing caught"), result.stderr


def test_the_entry_function_is_the_installed_scripts() -> None:
    assert inprocess.entry() is console.cli.main


def test_what_a_command_changes_in_the_process_is_put_back(cli: Cli, tmp_path: Path) -> None:
    """--read-only sets OBSCONSOLE_READ_ONLY for its own layers, `record` installs signal handlers and a log
    handler: none of it is left for the next call."""
    environ = dict(os.environ)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    root = list(logging.getLogger().handlers)
    assert cli("--read-only", "status", "--dsn", NOWHERE).code == 2
    recorded = cli("record", "--out", str(tmp_path / "r.obsrec"), "--count", "1", "--dsn", NOWHERE,
                   "--verify-every", "off")
    assert recorded.code == 2 and "cannot reach the server" in recorded.stderr, recorded.output
    assert dict(os.environ) == environ
    assert {sig: signal.getsignal(sig) for sig in handlers} == handlers
    assert logging.getLogger().handlers == root
