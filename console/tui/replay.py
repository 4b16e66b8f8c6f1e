"""The replay console: `obsconsole replay FILE` opens the dashboard fed from a recording (no server, no
connection), with the user's keymap."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App

from console.recording.replay import Timeline
from console.recording.store import Reader
from console.tui.keymap import load_keymap
from console.tui.palette import ReplayCommands
from console.tui.screen_keys import REPLAY_APP, TEXTUAL_HELP_QUIT
from console.tui.screens.help import HelpScreen, keys_in_force
from console.tui.screens.replay import ReplayScreen


class ReplayApp(App[None], inherit_bindings=False):
    """One screen: the replay of one recording, at its last moment first."""

    CSS_PATH = "app.tcss"
    TITLE = "obsconsole replay"
    BINDINGS = [*REPLAY_APP.bindings(), TEXTUAL_HELP_QUIT]
    COMMANDS = {ReplayCommands}

    def __init__(self, timeline: Timeline, *, keymap: dict[str, str] | None = None) -> None:
        super().__init__(ansi_color="NO_COLOR" in os.environ)
        self.timeline = timeline
        self.user_keymap = keymap or {}

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.push_screen(ReplayScreen(self.timeline))

    def action_help(self) -> None:
        self.push_screen(HelpScreen("Replay", keys_in_force(self)))


def run_replay(path: Path) -> None:
    """Replay `path` until the user quits. RecordingError (exit 2) for a file that is not a readable recording;
    ConsoleError (exit 2) for a bad keymap file."""
    keymap = load_keymap()
    reader = Reader(path)
    try:
        ReplayApp(Timeline(reader), keymap=keymap).run()
    finally:
        reader.close()
