"""Run `obsconsole ARGS` inside the pytest process, as the installed script runs it in a fresh process: the same
entry function (looked up from the package's `console_scripts` entry point, i.e. pyproject's [project.scripts]),
with `sys.argv`, the environment, stdin, stdout and stderr of that process for the length of the call, and all of
them put back after.

What a fresh process does that a call does not is done here too:
- stdin is the given input (or empty, like /dev/null), stdout and stderr are pipes: no terminal, so `isatty()` is
  False; stdout is encoded "strict", stderr "backslashreplace" (as Python does), and the text is decoded as
  `subprocess.run(text=True)` would (universal newlines);
- an exception that escapes the entry function is NOT swallowed: its traceback goes to stderr as Python prints
  it, and the exit code is 1 (so a test that asserts "no traceback" still sees one); `sys.exit(CODE)` gives CODE;
- process-wide state a command may change is restored: the environment, the working directory, signal
  handlers, the root logger's handlers and level, `logging.Formatter.converter`;
- a thread the command leaves running is an error (a process would have been held open by it, or killed it).

Only one call runs at a time (the process's streams are swapped): tests that need two obsconsole processes at
once, signals, a terminal or a child that outlives the command use a real process (`cli(..., process=True)`)."""

from __future__ import annotations

import io
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

SCRIPT = str(Path(sys.executable).with_name("obsconsole"))  # argv[0] of the installed script
_SIGNALS = tuple(s for s in signal.Signals if s not in {signal.SIGKILL, signal.SIGSTOP})


@cache
def entry() -> Callable[[], object]:
    """The function the installed `obsconsole` script calls."""
    (point,) = entry_points(group="console_scripts", name="obsconsole")
    loaded: Callable[[], object] = point.load()
    return loaded


class _Pipe(io.TextIOWrapper):
    """A text stream over bytes, as a pipe looks to the process writing it (no terminal, no file number)."""

    def __init__(self, name: str, errors: str, data: bytes = b"") -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors=errors, write_through=True)
        self._stream_name = name

    @property
    def name(self) -> str:
        return self._stream_name

    def text(self) -> str:
        """What was written, decoded as `subprocess.run(..., text=True)` decodes a child's output."""
        self.flush()
        return decoded(self.buffer.getvalue())  # type: ignore[attr-defined]


def decoded(raw: bytes) -> str:
    """A process's output as `subprocess.run(..., text=True)` gives it: UTF-8, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8").read()


@contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """`os.environ` (and so the C library's environment, which libpq reads) is exactly `env` for the block."""
    saved = dict(os.environ)
    _replace(env)
    try:
        yield
    finally:
        _replace(saved)


def _replace(env: Mapping[str, str]) -> None:
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


@contextmanager
def _process_state() -> Iterator[None]:
    """Put back what a command may change for the rest of its process: cwd, signal handlers, root logging."""
    cwd = os.getcwd()
    handlers = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    root = logging.getLogger()
    root_handlers, root_level, converter = list(root.handlers), root.level, logging.Formatter.converter
    try:
        yield
    finally:
        os.chdir(cwd)
        for sig, before in handlers.items():
            if signal.getsignal(sig) is not before and before is not None:
                signal.signal(sig, before)
        for added in [h for h in root.handlers if h not in root_handlers]:
            root.removeHandler(added)
            added.close()
        root.setLevel(root_level)
        logging.Formatter.converter = converter


def run(args: tuple[str, ...] | list[str], env: Mapping[str, str], stdin: str | bytes = "") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `obsconsole ARGS` run in this process with environment `env`, reading
    `stdin`."""
    main = entry()
    out, err = _Pipe("<stdout>", "strict"), _Pipe("<stderr>", "backslashreplace")
    source = _Pipe("<stdin>", "strict", stdin.encode() if isinstance(stdin, str) else stdin)
    threads = set(threading.enumerate())
    saved = sys.argv, sys.stdin, sys.stdout, sys.stderr
    with _environment(env), _process_state():
        sys.argv = [SCRIPT, *args]
        sys.stdin, sys.stdout, sys.stderr = source, out, err
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = _exit_code(exc, err)
        except Exception:  # what Python does with an exception nothing caught: traceback, exit 1
            err.write(traceback.format_exc())
            code = 1
        # KeyboardInterrupt (Ctrl-C of the test run) and pytest's outcomes (pytest-timeout's failure) go through.
        finally:
            sys.argv, sys.stdin, sys.stdout, sys.stderr = saved
    for thread in set(threading.enumerate()) - threads:
        thread.join(5)  # one on its way out (a pool's last worker) gets a moment
    left = [t for t in threading.enumerate() if t not in threads and t.is_alive()]
    assert not left, f"obsconsole {' '.join(args)} left threads running: {left}"
    return code, out.text(), err.text()


def _exit_code(exc: SystemExit, err: _Pipe) -> int:
    """The exit status `sys.exit(exc.code)` gives a process: None is 0, a non-integer is printed and is 1."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    err.write(f"{exc.code}\n")
    return 1
