"""The user's keymap ($XDG_CONFIG_HOME/obsconsole/keymap.toml): a binding id mapped to new keys changes what the
key does, and what the footer and `?` show; a bad file is one `obsconsole:` line (exit 2) before anything
connects; confirmation dialogs keep their keys."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.keymap import binding_ids, load_keymap
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import HelpScreen
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]


def _keymap(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    (config / "obsconsole").mkdir(parents=True)
    path = config / "obsconsole" / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return path


def test_a_remapped_key_does_the_action_and_help_shows_it(native_db: TestDb, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _keymap(tmp_path, '"dashboard.charts" = "k"\n"app.verify" = "f6"\n', monkeypatch)
    keymap = load_keymap()
    assert keymap == {"dashboard.charts": "k", "app.verify": "f6"}

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), refresh_s=60, keymap=keymap)
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen))
            screen = app.screen
            assert isinstance(screen, DashboardScreen) and screen.charts_on
            await pilot.press("c")  # the default key no longer toggles the charts
            await pilot.pause()
            assert screen.charts_on
            await pilot.press("k")
            await wait_for(pilot, lambda: not screen.charts_on)
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            shown = {description: keys for keys, description in app.screen.keys}  # type: ignore[attr-defined]
            assert shown["Charts"] == "k" and shown["Verify"] == "f6", shown
            await pilot.press("escape")
            await pilot.press("f6")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "VerifyScreen")

    asyncio.run(scenario())


def test_a_bad_keymap_is_one_line_before_connecting(cli: Cli, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = "host=127.0.0.1 port=9 dbname=x user=x password=hunter2-keymap connect_timeout=1"
    path = _keymap(tmp_path, '"dashboard.nope" = "k"\n', monkeypatch)
    result = cli("--dsn", nowhere, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.code == 2 and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith(f"obsconsole: keymap {path}: unknown binding 'dashboard.nope' (known: ")
    assert "dashboard.refresh" in result.stderr and "hunter2" not in result.output
    path.write_text('"dashboard.refresh" = 5\n', encoding="utf-8")
    result = cli("--dsn", nowhere, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.code == 2 and "dashboard.refresh takes keys as a string" in result.stderr, result.output
    path.write_text('"dashboard.refresh = \n', encoding="utf-8")
    result = cli("--dsn", nowhere, extra_env={"XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.code == 2 and result.stderr.startswith(f"obsconsole: keymap {path}: "), result.output


def test_bare_ids_work_and_a_key_two_bindings_would_share_is_refused(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = _keymap(tmp_path, 'dashboard.refresh = "f5"\n[jobs]\nrun = "ctrl+r"\n', monkeypatch)
    assert load_keymap() == {"dashboard.refresh": "f5", "jobs.run": "ctrl+r"}
    path.write_text('"dashboard.refresh" = "q"\n', encoding="utf-8")  # q quits on every screen
    with pytest.raises(ConsoleError, match=r"'q' would be both app.quit and dashboard.refresh: give one of them"):
        load_keymap()
    path.write_text('"dashboard.refresh" = "q"\n"app.quit" = "ctrl+q"\n', encoding="utf-8")  # moved out of the way
    assert load_keymap() == {"dashboard.refresh": "q", "app.quit": "ctrl+q"}


def test_every_screen_key_has_an_id_and_confirmations_are_not_remappable() -> None:
    ids = binding_ids()
    assert {"app.quit", "app.help", "dashboard.refresh", "dashboard.drop", "jobs.run", "migrations.apply",
            "verify.export"} <= set(ids)
    assert not any(i.startswith(("confirm", "action_confirm")) for i in ids)
