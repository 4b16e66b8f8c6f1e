"""Every key of the console, one declaration per screen (console/tui/registry.py generates the rest from them).
Data only, so the keymap is checked without importing a screen."""

from __future__ import annotations

from textual.binding import Binding

from console.tui.registry import ALWAYS, MORE, ROW, SCREENS, Key, ScreenKeys

QUIT = Key("app.quit", "q,ctrl+q", "quit", "Quit", "leave the console", rank=ALWAYS)
HELP = Key("app.help", "question_mark", "help", "Help", "the keys of this screen", palette="Keys and help",
           key_display="?", rank=ALWAYS)


def _screen(mode: str, title: str, key: str, short: str) -> Key:
    return Key(f"app.{mode}", key, f"switch_mode('{mode}')", title, f"switch to the {title} screen", short=short,
               palette=f"Go to {title}", rank=SCREENS)


# The app's own, on every screen of `obsconsole` (the replay console has QUIT and HELP only).
APP = ScreenKeys("app", (
    _screen("dashboard", "Dashboard", "d", "Dash"),
    _screen("migrations", "Migrations", "m", "Migr"),
    _screen("verify", "Verify", "v", "Verify"),
    _screen("jobs", "Jobs", "j", "Jobs"),
    QUIT, HELP,
))
REPLAY_APP = ScreenKeys("replay app", (QUIT, HELP))
# Textual's ctrl+c ("press ctrl+q to quit"), kept by the apps that declare their own keys instead of Textual's.
TEXTUAL_HELP_QUIT = Binding("ctrl+c", "help_quit", show=False, system=True)

DASHBOARD = ScreenKeys("Dashboard", (
    Key("dashboard.refresh", "r", "refresh_now", "Refresh", "refresh now", palette="Refresh now",
        palette_help="run the five panes' queries now"),
    # At 80 columns these stay longer than pause (also space) and the cost window (the footer drops the last first).
    Key("dashboard.faster", "minus", "faster", "Faster", "refresh more often", short="Fast",
        palette="Refresh more often", key_display="-", rank=MORE),
    Key("dashboard.slower", "plus,equals_sign", "slower", "Slower", "refresh less often", short="Slow",
        palette="Refresh less often", key_display="+", rank=MORE),
    Key("dashboard.charts", "c", "toggle_charts", "Charts", "show or hide the charts", palette="Hide charts",
        rank=MORE),
    Key("dashboard.pause", "p,space", "toggle_pause", "Pause", "pause or resume the refresh", palette="Pause refresh",
        rank=MORE),
    Key("dashboard.window", "w", "next_window", "Cost window", "next cost window", short="Window",
        palette="Cost window: next", palette_help="1h, 24h, 7d, 30d", rank=MORE),
    # On the row under the cursor of the focused pane; offered only where they apply (check_action).
    Key("dashboard.compress", "z", "row('compress')", "Compress…", "compress the row's chunks older than an age",
        short="Compress", rank=ROW, writes=True),
    Key("dashboard.decompress", "u", "row('decompress')", "Decompress…",
        "decompress the row's chunks older than an age", short="Decomp", rank=ROW, writes=True),
    Key("dashboard.drop", "x", "row('drop')", "Drop chunks…", "drop the row's chunks older than an age",
        short="Drop", rank=ROW, writes=True),
    Key("dashboard.policy", "e", "row('policy')", "Policy…", "set or remove the row's policy", short="Policy",
        rank=ROW, writes=True),
    Key("dashboard.refresh_cagg", "a", "row('refresh')", "Refresh aggregate…",
        "refresh the row's continuous aggregate over a window", short="Aggregate", rank=ROW, writes=True),
    # Opened from the fleet screen only (the app hides it otherwise).
    Key("dashboard.fleet_back", "escape", "app.back_to_fleet", "Fleet", "back to the fleet", rank=SCREENS),
))

JOBS = ScreenKeys("Jobs", (
    Key("jobs.reload", "r", "reload", "Reload", "reload", palette="Reload the jobs",
        palette_help="read every job again"),
    Key("jobs.details", "enter", "details", "Details", "details", rank=ROW),
    Key("jobs.run", "n", "job('run')", "Run now", "run now", short="Run", rank=ROW, writes=True),
    Key("jobs.pause", "p", "job('pause')", "Pause", "pause", rank=ROW, writes=True),
    Key("jobs.resume", "u", "job('resume')", "Resume", "resume", rank=ROW, writes=True),
    Key("jobs.schedule", "s", "schedule", "Schedule", "schedule", short="Sched", rank=ROW, writes=True),
))
JOB_DETAIL = ScreenKeys("Job", (Key("job_detail.close", "escape,q", "close", "Close", "close"),))

CHECK_DETAIL = ScreenKeys("Check", (Key("check_detail.close", "escape,q", "close", "Close", "close"),))

MIGRATIONS = ScreenKeys("Migrations", (
    Key("migrations.reload", "r", "reload", "Reload", "reload", palette="Reload migrations"),
    Key("migrations.plan", "p", "plan", "Dry-run plan", "dry-run plan", short="Plan",
        palette="Dry-run plan of the pending migrations", palette_help="nothing is applied"),
    Key("migrations.apply", "a", "apply", "Apply pending", "apply pending", short="Apply",
        palette="Apply pending migrations", palette_help="after confirmation", writes=True),
))

VERIFY = ScreenKeys("Verify", (
    Key("verify.details", "enter", "details", "Details", "details",
        palette="Show the selected check in full", palette_help="found, expected, remedy", rank=ROW),
    Key("verify.rerun", "r", "rerun", "Re-run", "re-run", palette="Run verify again",
        palette_help="the 14 checks and the health checks"),
    Key("verify.export", "e", "export", "Export JSON", "export JSON", short="Export",
        palette="Export the verify report (JSON)", palette_help="to $XDG_STATE_HOME/obsconsole/exports/"),
    Key("verify.drift", "f", "drift", "Drift (replay)",
        "replay the applied migrations into a scratch engine and compare (10-40 s)", short="Drift",
        palette="Check drift (replay the migrations)", palette_help="verify --drift", rank=MORE),
))

FLEET = ScreenKeys("Fleet", (
    # priority: shown in the footer although the table has an Enter of its own; in the filter box it keeps the
    # filter instead.
    Key("fleet.open", "enter", "open", "Dashboard", "open the selected database's dashboard",
        palette="Open the selected database's dashboard", rank=SCREENS, priority=True),
    Key("fleet.filter", "slash", "filter", "Filter", "filter by name or tag", palette="Filter the fleet by name or tag",
        key_display="/"),
    Key("fleet.refresh", "r", "refresh_now", "Refresh", "refresh now", palette="Refresh the fleet now"),
    Key("fleet.clear", "escape", "clear_filter", "Clear filter", "clear the filter", show=False),
))

REPLAY = ScreenKeys("Replay", (
    # Before the focused table's own use of the arrows: in a replay they move in time.
    Key("replay.back", "left", "step(-1)", "Back", "step back", palette="Step back", key_display="←",
        priority=True, rank=ROW),
    Key("replay.forward", "right", "step(1)", "Forward", "step forward", palette="Step forward", key_display="→",
        priority=True, rank=ROW),
    Key("replay.play", "space", "toggle_play", "Play", "play or pause", palette="Play", rank=ROW),
    Key("replay.speed", "f", "next_speed", "Speed", "10x or 60x", palette="Next speed"),
    Key("replay.goto", "g", "go_to", "Go to…", "go to a time", palette="Go to a time…",
        palette_help="ISO 8601 or an age"),
    Key("replay.first", "home", "first", "First", "the first moment", palette="First moment", show=False),
    Key("replay.last", "end", "last", "Last", "the last moment", palette="Last moment", show=False),
    Key("replay.charts", "c", "toggle_charts", "Charts", "show or hide the charts", palette="Hide charts",
        rank=MORE),
))

# The keys in force together, per screen: a keymap may not give one key two actions of one scope.
# A job's detail is a modal screen: the app's keys are not in force there.
SCOPES: tuple[tuple[ScreenKeys, ...], ...] = (
    *((APP, screen) for screen in (DASHBOARD, JOBS, MIGRATIONS, VERIFY, FLEET)), (JOB_DETAIL,), (CHECK_DETAIL,),
    (REPLAY_APP, REPLAY))


def by_id() -> dict[str, Key]:
    """Every key of the console by its binding id."""
    return {key.id: key for scope in SCOPES for keys in scope for key in keys.keys}
