"""The `slow` tier, chosen by measurement: `python -m tests.slow_tier --over SECONDS REPORT...` prints, sorted, the
node ids of every test whose setup + call + teardown took SECONDS or more in the given reports of a whole-suite
run (`pytest --junitxml=FILE`, or the text of `pytest --durations=0`), for tests/slow_tests.txt. conftest.py marks
the tests listed there `slow`; `make test-fast` leaves them out."""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

SCAN = "tests/test_zz_secrets.py::test_no_password_in_any_recorded_cli_output"
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)s (?:setup|call|teardown)\s+(\S.*)$")
_GROUP = re.compile(r"@[\w-]+$")  # what `--dist loadgroup` appends to the node id of a test in an xdist_group


def node_id(name: str) -> str:
    """A test's node id without the `@group` that `--dist loadgroup` appends to tests in an xdist_group."""
    return _GROUP.sub("", name)


def durations(report: Path) -> dict[str, float]:
    """Seconds per test node id in one report (phases summed)."""
    seconds: dict[str, float] = defaultdict(float)
    if report.suffix == ".xml":
        for case in ET.parse(report).iter("testcase"):
            module = case.get("classname", "").replace(".", "/")
            seconds[node_id(f"{module}.py::{case.get('name', '')}")] += float(case.get("time", "0"))
    else:
        for line in report.read_text(encoding="utf-8").splitlines():
            match = _DURATION.match(line.strip())
            if match:
                seconds[node_id(match[2].strip())] += float(match[1])
    return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--over", type=float, required=True, help="seconds: a test this slow or slower is `slow`")
    parser.add_argument("reports", nargs="+", type=Path)
    args = parser.parse_args(argv)
    seconds: dict[str, float] = defaultdict(float)
    for report in args.reports:
        for node, spent in durations(report).items():
            seconds[node] = max(seconds[node], spent)
    seconds.pop(SCAN, None)  # the secrets scan runs in every tier; its time is waiting for the other workers
    slow = sorted(node for node, spent in seconds.items() if spent >= args.over)
    fast = sum(spent for spent in seconds.values() if spent < args.over)
    print("\n".join(slow))
    print(f"# {len(slow)} slow of {len(seconds)} measured; the rest sum to {fast:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
