"""JSON output for any command: dataclasses, enums, datetimes, intervals and decimals made plain."""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any


def plain(value: Any) -> Any:
    """`value` as JSON-ready data: timestamps ISO 8601, intervals in seconds, decimals (money) as exact strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def print_json(payload: object) -> None:
    """`payload` as indented JSON on stdout."""
    json.dump(plain(payload), sys.stdout, indent=2)
    sys.stdout.write("\n")
