"""What the migrations create, read from `migrations/expected.toml` (kept beside the SQL it describes)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from console.infra.resources import MIGRATIONS_DIR
from console.infra.userfiles import load_toml

EXPECTED_FILE = "expected.toml"


@dataclass(frozen=True)
class Hypertable:
    migration: int
    time_column: str
    chunk_interval: str


@dataclass(frozen=True)
class Compression:
    migration: int
    segment_by: list[str]
    order_by: list[str]
    compress_after: str


@dataclass(frozen=True)
class Retention:
    migration: int
    drop_after: str


@dataclass(frozen=True)
class Table:
    name: str
    migration: int
    columns: int
    comment: bool
    hypertable: Hypertable | None
    compression: Compression | None
    retention: Retention | None


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    method: str
    partial: bool
    migration: int


@dataclass(frozen=True)
class ContinuousAggregate:
    name: str
    migration: int
    bucket: str
    source: str
    refresh_schedule: str
    retention: Retention | None


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str
    columns: list[str]
    references: str
    referenced_columns: list[str]
    migration: int


@dataclass(frozen=True)
class AddedColumn:
    """A column a later migration adds to a spec table (not in the spec's column count)."""

    table: str
    column: str
    migration: int


@dataclass(frozen=True)
class Expected:
    """The whole expectation."""

    tables: list[Table]
    indexes: list[Index]
    continuous_aggregates: list[ContinuousAggregate]
    foreign_keys: list[ForeignKey]
    added_columns: list[AddedColumn]


def load(directory: Path = MIGRATIONS_DIR) -> Expected:
    """Parse `expected.toml` from the migrations folder (the shipped spec's when the folder has none)."""
    path = directory / EXPECTED_FILE
    data = load_toml(path if path.exists() else MIGRATIONS_DIR / EXPECTED_FILE, "expectations file")
    tables = [
        Table(
            name=name,
            migration=spec["migration"],
            columns=spec["columns"],
            comment=spec.get("comment", False),
            hypertable=Hypertable(**spec["hypertable"]) if "hypertable" in spec else None,
            compression=Compression(**spec["compression"]) if "compression" in spec else None,
            retention=Retention(**spec["retention"]) if "retention" in spec else None,
        )
        for name, spec in data["tables"].items()
    ]
    caggs = [
        ContinuousAggregate(
            name=name,
            migration=spec["migration"],
            bucket=spec["bucket"],
            source=spec["source"],
            refresh_schedule=spec["refresh_schedule"],
            retention=Retention(**spec["retention"]) if "retention" in spec else None,
        )
        for name, spec in data["continuous_aggregates"].items()
    ]
    return Expected(
        tables=tables,
        indexes=[Index(**spec) for spec in data["indexes"]],
        continuous_aggregates=caggs,
        foreign_keys=[ForeignKey(**spec) for spec in data["foreign_keys"]],
        added_columns=[AddedColumn(**spec) for spec in data.get("added_columns", [])],
    )
