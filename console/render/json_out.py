"""JSON output for any command: dataclasses, datetimes, decimals and lists made plain."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any


def plain(value: Any) -> Any:
    """`value` as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def print_json(payload: object) -> None:
    """`payload` as indented JSON on stdout."""
    json.dump(plain(payload), sys.stdout, indent=2)
    sys.stdout.write("\n")
