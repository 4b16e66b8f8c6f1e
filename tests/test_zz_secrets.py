"""Runs last (conftest's pytest_collection_modifyitems): no password known to this session appears in anything
an `obsconsole` process printed during it. The one output that carries a password by design is the DSN that
`engine start` prints on stdout for `export OBSCONSOLE_DSN=$(...)`; exactly those lines are allowed. Under
pytest-xdist it is the last item handed out, and it waits for the other workers' records (conftest)."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import CLI_OUTPUTS, SECRETS, RecordedOutput, other_workers_records, register_dsn_password


def _is_engine_start(record: RecordedOutput) -> bool:
    """An `engine start` that started an engine (its --help prints no DSN: tests/test_cli_dsn.py asks for it)."""
    return record.args[:2] == ("engine", "start") and "--help" not in record.args


def _engine_start_dsn_lines(outputs: list[RecordedOutput]) -> set[str]:
    """The DSN lines `engine start` printed on stdout (their passwords join SECRETS)."""
    lines: set[str] = set()
    for record in outputs:
        if _is_engine_start(record):
            for line in record.stdout.splitlines():
                if "://" in line:
                    register_dsn_password(line.strip())
                    lines.add(line.strip())
    return lines


def test_no_password_in_any_recorded_cli_output() -> None:
    their_secrets, their_outputs = other_workers_records()
    SECRETS.update(their_secrets)
    outputs = CLI_OUTPUTS + their_outputs
    if not outputs:
        pytest.skip("no CLI output was recorded in this session: run this file together with the others")
    dsn_lines = _engine_start_dsn_lines(outputs)
    secrets = {s for s in SECRETS if len(s) >= 6}
    assert secrets, "no password was registered: the scan would prove nothing"
    leaks: list[str] = []
    allowed = 0
    for record in outputs:
        for stream, text in (("stdout", record.stdout), ("stderr", record.stderr)):
            for line in text.splitlines():
                found = sorted(s for s in secrets if s in line)
                if not found:
                    continue
                if stream == "stdout" and line.strip() in dsn_lines:
                    # Allowed only as `engine start`'s own stdout, the whole line being a DSN with that password.
                    assert _is_engine_start(record), f"a DSN line outside `engine start`: {record.args}"
                    password = psycopg.conninfo.conninfo_to_dict(line.strip()).get("password")
                    assert found == [password], f"`engine start` printed another secret: {record.args}"
                    allowed += 1
                    continue
                leaks.append(f"obsconsole {' '.join(record.args)} ({stream}) printed a password")
    assert not leaks, "\n".join(leaks)
    starts = [r for r in outputs if _is_engine_start(r) and r.stdout.strip()]
    assert allowed == sum(len(r.stdout.strip().splitlines()) for r in starts)
