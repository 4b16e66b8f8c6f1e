"""The keys from the registry (console/tui/screen_keys.py), as a user meets them: a remapped key shows in the
footer, the palette, `?` and the screen's hint line on every screen; quit remapped stays in the footer; a key name
Textual does not know is one `obsconsole:` line (exit 2); at 80x24 the footer keeps the screen keys and the
focused pane's action keys."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from textual.widgets._footer import FooterKey

from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.keymap import load_keymap
from console.tui.screens.base import ConsoleScreen
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import HelpScreen
from console.tui.widgets.pane_box import PaneBox
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]

REMAP = {"app.quit": "ctrl+q", "app.help": "f1", "app.dashboard": "f2", "app.migrations": "f3", "app.verify": "f4",
         "app.jobs": "f6", "dashboard.refresh": "f5", "jobs.run": "ctrl+r", "jobs.reload": "ctrl+l",
         "migrations.plan": "f7", "verify.rerun": "f8", "verify.export": "ctrl+e", "verify.drift": "f9"}


def _footer(app: ObsConsoleApp) -> dict[str, str]:
    """What the footer shows: key -> its word."""
    return {str(key.key_display): str(key.description) for key in app.screen.query(FooterKey)}


def _text(app: ObsConsoleApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def _shows(app: ObsConsoleApp, screen: str, keys: set[str]) -> bool:
    """Whether `screen` is up and its footer shows `keys`."""
    return type(app.screen).__name__ == screen and keys <= set(_footer(app))


async def _palette_help(app: ObsConsoleApp, pilot: Pilot[None], typed: str, name: str) -> str:
    """Ctrl+P, type `typed`: the help line of the first entry, which must be `name`; Escape closes the palette."""
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*typed)
    results = app.screen.query_one(CommandList)
    await wait_for(pilot, lambda: results.option_count > 0 and name in str(results.get_option_at_index(0).prompt))
    prompt = str(results.get_option_at_index(0).prompt)
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
    return prompt


async def _help(app: ObsConsoleApp, pilot: Pilot[None]) -> dict[str, str]:
    """`?` as remapped (f1): description -> keys; Escape closes it."""
    await pilot.press("f1")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    assert isinstance(app.screen, HelpScreen)
    shown = {description: keys for keys, description in app.screen.keys}
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
    return shown


@pytest.mark.tsl
def test_a_remap_shows_in_the_footer_palette_help_and_hints_of_every_screen(tsl_migrated_db: TestDb) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), refresh_s=60, keymap=REMAP)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.last_snapshot is not None and "f5" in _footer(app), timeout=60)
            footer = _footer(app)  # read once the footer has drawn the screen's keys (it is composed after mount)
            assert (footer["^q"], footer["f1"], footer["f5"]) == ("Quit", "Help", "Refresh"), footer
            assert (footer["f3"], footer["f4"], footer["f6"]) == ("Migrations", "Verify", "Jobs"), footer
            assert not {"q", "?", "r", "m", "v", "j"} & set(footer), footer
            assert "f5: run the five panes' queries now" in await _palette_help(app, pilot, "refresh now",
                                                                                "Refresh now")
            assert "f3: switch to the Migrations screen" in await _palette_help(app, pilot, "go to mig",
                                                                                "Go to Migrations")
            shown = await _help(app, pilot)
            assert (shown["Refresh"], shown["Quit"], shown["Verify"]) == ("f5", "^q", "f4"), shown

            await pilot.press("f6")  # Jobs
            await wait_for(pilot, lambda: type(app.screen).__name__ == "JobsScreen")
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count > 0 and "jobs," in _text(app, "#jobs-summary"), timeout=60)
            hint = _text(app, "#jobs-summary")
            assert "^r: run now" in hint and "^l: reload" in hint and "n: run now" not in hint, hint
            footer = _footer(app)
            assert (footer["^r"], footer["^l"], footer["f2"]) == ("Run now", "Reload", "Dashboard"), footer
            assert "^r: CALL run_job" in await _palette_help(app, pilot, "run job", "Run job")
            assert (await _help(app, pilot))["Run now"] == "^r"

            await pilot.press("f3")  # Migrations
            await wait_for(pilot, lambda: type(app.screen).__name__ == "MigrationsScreen")
            await wait_for(pilot, lambda: "applied" in _text(app, "#migrations-summary"), timeout=60)
            hint = _text(app, "#migrations-summary")
            assert "f7: dry-run plan" in hint and "p: dry-run plan" not in hint, hint
            assert _footer(app)["f7"] == "Dry-run plan"
            assert "f7: nothing is applied" in await _palette_help(app, pilot, "dry-run", "Dry-run plan")
            assert (await _help(app, pilot))["Dry-run plan"] == "f7"

            await pilot.press("f4")  # Verify
            await wait_for(pilot, lambda: type(app.screen).__name__ == "VerifyScreen")
            await wait_for(pilot, lambda: " ms" in _text(app, "#verify-summary"), timeout=60)
            hint = _text(app, "#verify-summary")
            assert "f8: re-run, ^e: export JSON" in hint and "r: re-run" not in hint, hint
            assert _text(app, "#drift-summary").startswith("f9: replay the applied migrations")
            footer = _footer(app)
            assert (footer["f8"], footer["^e"], footer["f9"]) == ("Re-run", "Export JSON", "Drift (replay)"), footer
            assert "f8: the 14 checks" in await _palette_help(app, pilot, "run verify", "Run verify again")
            assert (await _help(app, pilot))["Export JSON"] == "^e"

            await pilot.press("q")  # no longer quits
            await pilot.pause()
            assert isinstance(app.screen, ConsoleScreen) and app.is_running

    asyncio.run(scenario())


@pytest.mark.parametrize("keys", ["ctrl+q", "x"])
def test_quit_remapped_stays_in_the_footer_and_quits(native_db: TestDb, keys: str) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(native_db.dsn, "test")), refresh_s=60, start_mode="migrations",
                            keymap={"app.quit": keys})
        async with app.run_test(size=(80, 24)) as pilot:
            shown = app.get_key_display(app.screen.active_bindings[keys].binding)
            await wait_for(pilot, lambda: _footer(app).get(shown) == "Quit")
            await pilot.press(keys)
            await wait_for(pilot, lambda: app.return_code == 0)

    asyncio.run(scenario())


def test_a_key_name_textual_does_not_know_is_one_line(cli: Cli, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    nowhere = "host=127.0.0.1 port=9 dbname=x user=x password=hunter2-keys connect_timeout=1"
    config = tmp_path / "config"
    (config / "obsconsole").mkdir(parents=True)
    path = config / "obsconsole" / "keymap.toml"
    path.write_text('"jobs.run" = "ctrl+shift+banana"\n', encoding="utf-8")
    result = cli("--dsn", nowhere, extra_env={"XDG_CONFIG_HOME": str(config)})
    assert result.code == 2 and result.stderr.count("\n") == 1, result.output
    assert result.stderr.startswith(f"obsconsole: keymap {path}: jobs.run: 'ctrl+shift+banana' is not a key name "
                                    "Textual knows"), result.stderr
    assert "hunter2" not in result.output
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    for bad in ("F5", "ctrl+ctrl+r", "hyper+", "r,banana"):
        path.write_text(f'"dashboard.refresh" = "{bad}"\n', encoding="utf-8")
        with pytest.raises(ConsoleError, match="is not a key name Textual knows"):
            load_keymap()
    path.write_text('"dashboard.refresh" = "ctrl+p"\n', encoding="utf-8")
    with pytest.raises(ConsoleError, match=r"'ctrl\+p' is the command palette on every screen"):
        load_keymap()
    path.write_text('"dashboard.refresh" = "f5,ctrl+shift+r,question_mark,é"\n"app.help" = "f1"\n', encoding="utf-8")
    assert load_keymap() == {"dashboard.refresh": "f5,ctrl+shift+r,question_mark,é", "app.help": "f1"}


@pytest.mark.tsl
def test_at_80x24_the_footer_keeps_the_screen_keys_and_the_focused_panes_actions(tsl_seeded_db: TestDb) -> None:
    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_seeded_db.dsn, "test")), refresh_s=60)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.last_snapshot is not None, timeout=60)
            chunks = app.screen.query_one("#pane-chunks", PaneBox).table
            await wait_for(pilot, lambda: chunks.row_count > 0)
            # A row without actions of its own (a job): the interval (+/-) and the charts (c) fit too, the
            # palette's key without its word.
            app.screen.query_one("#pane-jobs", PaneBox).table.focus()
            await wait_for(pilot, lambda: {"+", "-", "c"} <= set(_footer(app)))
            assert {"q", "?", "m", "v", "j", "r"} <= set(_footer(app)), _footer(app)
            assert (_footer(app)["+"], _footer(app)["-"], _footer(app)["^p"]) == ("Slow", "Fast", ""), _footer(app)
            hypertable = next(i for i in range(chunks.row_count) if "cagg" not in str(chunks.get_row_at(i)[0]))
            chunks.focus()
            chunks.move_cursor(row=hypertable)
            await wait_for(pilot, lambda: {"z", "u", "x"} <= set(_footer(app)))
            keys = list(_footer(app))
            assert {"q", "?", "m", "v", "j", "z", "u", "x"} <= set(keys), keys
            assert app.screen.query_one("Footer").region.width == 80
            for screen, key, others in (("MigrationsScreen", "m", {"d", "v", "j", "r", "p", "a"}),
                                        ("VerifyScreen", "v", {"d", "m", "j", "r", "e"}),
                                        ("JobsScreen", "j", {"d", "m", "v"})):
                await pilot.press(key)
                await wait_for(pilot, partial(_shows, app, screen, {"q", "?"} | others))
            table = app.screen.query_one("#jobs-table", DataTable)
            await wait_for(pilot, lambda: table.row_count > 0, timeout=60)
            table.focus()
            await wait_for(pilot, lambda: {"n", "p", "u", "s"} <= set(_footer(app)))
            assert {"q", "?", "d", "m", "v"} <= set(_footer(app)), _footer(app)

    asyncio.run(scenario())
