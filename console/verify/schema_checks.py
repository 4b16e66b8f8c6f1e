"""The spec's 14 verification checks, each comparing the database with `migrations/expected.toml`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from console.infra import fmt
from console.migrator.files import MigrationFile
from console.migrator.sqlsplit import strip_comments
from console.verify import expectations as exp
from console.verify.model import CheckResult, Status
from console.verify.probe import Probe
from console.verify.scope import Scope

T = TypeVar("T")


@dataclass
class Context:
    """What every check reads: the probe, the expectation and the scope of this run."""

    probe: Probe
    expected: exp.Expected
    scope: Scope
    intervals: dict[str, timedelta] = field(default_factory=dict)
    local: list[MigrationFile] = field(default_factory=list)

    def statement_creating(self, name: str) -> str | None:
        """The migration statement that creates the object `name` (for a concrete remedy), with its file."""
        pattern = re.compile(rf"\bCREATE\b[^;]*?\b{re.escape(name)}\b", re.IGNORECASE)
        for migration in self.local:
            for statement in migration.statements:
                if pattern.search(statement.sql):
                    return f"{' '.join(strip_comments(statement.sql).split())}  ({migration.label}:{statement.line})"
        return None

    def interval(self, spelled: str) -> timedelta:
        if spelled not in self.intervals:
            self.intervals.update(self.probe.intervals([spelled]))
        return self.intervals[spelled]

    @property
    def has_timescaledb(self) -> bool:
        return self.probe.info.timescaledb_installed is not None


@dataclass
class Judgement:
    """Accumulates a check's findings over its expected objects, honouring the scope."""

    id: str
    name: str
    expected: str
    remedy: str
    problems: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    checked: int = 0

    def objects(self, ctx: Context, items: Iterable[T], version: Callable[[T], int]) -> list[T]:
        """The items this run must check; the others are recorded as skipped or pending."""
        required = []
        for item in items:
            verdict = ctx.scope.of(version(item))
            if verdict.required:
                required.append(item)
            elif verdict.skip_reason:
                self.skipped.append(verdict.skip_reason)
            else:
                self.pending.append(verdict.pending_remedy)
        self.checked += len(required)
        return required

    def result(self, found_ok: str) -> CheckResult:
        if self.problems or self.pending:
            remedy = self.remedy if self.problems else self.pending[0]
            return CheckResult(self.id, self.name, Status.FAIL, self.expected,
                               "; ".join(self.problems + sorted(set(self.pending))), remedy, self.problems)
        if self.checked == 0 and self.skipped:
            return CheckResult(self.id, self.name, Status.SKIP, self.expected, "not checked", self.skipped[0])
        edition = self.skipped[0].split(":", 1)[0].removesuffix(" edition").capitalize() if self.skipped else ""
        note = f"{len(self.skipped)} of {self.checked + len(self.skipped)} skipped: {edition}" if self.skipped else ""
        return CheckResult(self.id, self.name, Status.PASS, self.expected, found_ok, skipped=note)


def _no_extension(check_id: str, name: str, expected: str) -> CheckResult:
    return CheckResult(check_id, name, Status.SKIP, expected, "not checked",
                       "TimescaleDB is not installed: run CREATE EXTENSION timescaledb, then obsconsole migrate")


def check_extension(ctx: Context) -> CheckResult:
    info = ctx.probe.info
    rows = ctx.probe.rows("verify/extension")
    if not rows:
        return CheckResult("S01", "TimescaleDB extension enabled", Status.FAIL, "timescaledb installed",
                           "not installed", "CREATE EXTENSION timescaledb (see `obsconsole doctor`)", ["timescaledb"])
    return CheckResult("S01", "TimescaleDB extension enabled", Status.PASS, "timescaledb installed",
                       f"timescaledb {rows[0]['extversion']} ({info.edition} edition)")


def check_tables(ctx: Context) -> CheckResult:
    tables = ctx.expected.tables
    j = Judgement("S02", f"All {len(tables)} tables exist", ", ".join(t.name for t in tables),
                  "run `obsconsole migrate`; if the ledger says applied, restore the table from a backup")
    for table in j.objects(ctx, tables, lambda t: t.migration):
        if table.name not in ctx.probe.tables:
            j.problems.append(f"table {table.name} missing")
    return j.result(f"{j.checked} of {len(tables)} present")


def check_hypertables(ctx: Context) -> CheckResult:
    wanted = [t for t in ctx.expected.tables if t.hypertable]
    name = f"All {len(wanted)} hypertables configured"
    if not ctx.has_timescaledb:
        return _no_extension("S03", name, ", ".join(t.name for t in wanted))
    j = Judgement("S03", name, ", ".join(t.name for t in wanted),
                  "SELECT create_hypertable(...) as migration 002 does (the table must still be empty)")
    for table in j.objects(ctx, wanted, lambda t: t.hypertable.migration if t.hypertable else 0):
        if table.name not in ctx.probe.hypertables:
            j.problems.append(f"{table.name} is not a hypertable")
    return j.result(f"{j.checked} of {len(wanted)} are hypertables")


def check_chunk_intervals(ctx: Context) -> CheckResult:
    wanted = [t for t in ctx.expected.tables if t.hypertable]
    expected = ", ".join(f"{t.name} {t.hypertable.chunk_interval}" for t in wanted if t.hypertable)
    if not ctx.has_timescaledb:
        return _no_extension("S04", "Chunk intervals", expected)
    j = Judgement("S04", "Chunk intervals", expected,
                  "SELECT set_chunk_time_interval('<table>', INTERVAL '<expected>') (applies to new chunks)")
    for table in j.objects(ctx, wanted, lambda t: t.hypertable.migration if t.hypertable else 0):
        assert table.hypertable is not None
        row = ctx.probe.hypertables.get(table.name)
        if row is None:
            j.problems.append(f"{table.name} is not a hypertable")
        elif row["time_interval"] != ctx.interval(table.hypertable.chunk_interval):
            j.problems.append(f"{table.name} chunk interval is {row['time_interval']}, "
                              f"expected {table.hypertable.chunk_interval}")
        elif row["column_name"] != table.hypertable.time_column:
            j.problems.append(f"{table.name} is partitioned on {row['column_name']}, expected "
                              f"{table.hypertable.time_column}")
    return j.result("all as expected")


def check_indexes(ctx: Context) -> CheckResult:
    wanted = ctx.expected.indexes
    j = Judgement("S05", f"All {len(wanted)} indexes created", f"{len(wanted)} indexes by name, kind and predicate",
                  "recreate it as migration 003 defines it (CREATE INDEX ... ; see the migration file)")
    actual: dict[str, dict[str, object]] = {}
    for table in {i.table for i in wanted} & ctx.probe.tables:
        for reflected in ctx.probe.inspector.get_indexes(table):
            actual[str(reflected["name"])] = {"table": table, **reflected.get("dialect_options", {})}
    for index in j.objects(ctx, wanted, lambda i: i.migration):
        found = actual.get(index.name)
        if found is None:
            j.problems.append(f"index {index.name} on {index.table} missing")
            statement = ctx.statement_creating(index.name)
            if statement is not None:
                j.remedy = f"run {statement}"
            continue
        method = str(found.get("postgresql_using") or "btree")
        partial = bool(found.get("postgresql_where"))
        if found["table"] != index.table:
            j.problems.append(f"index {index.name} is on {found['table']}, expected {index.table}")
        if method != index.method:
            j.problems.append(f"index {index.name} is {method.upper()}, expected {index.method.upper()}")
        if partial != index.partial:
            j.problems.append(f"index {index.name} {'has' if partial else 'lacks'} a partial predicate")
    return j.result(f"{j.checked} of {len(wanted)} present with the right kind")


def check_continuous_aggregates(ctx: Context) -> CheckResult:
    wanted = ctx.expected.continuous_aggregates
    expected = ", ".join(f"{c.name} ({c.bucket}, refresh every {c.refresh_schedule})" for c in wanted)
    name = f"All {len(wanted)} continuous aggregates exist"
    if not ctx.has_timescaledb:
        return _no_extension("S06", name, expected)
    j = Judgement("S06", name, expected, "recreate the view and its refresh policy as migration 004 defines them")
    for cagg in j.objects(ctx, wanted, lambda c: c.migration):
        row = ctx.probe.continuous_aggregates.get(cagg.name)
        if row is None:
            j.problems.append(f"continuous aggregate {cagg.name} missing")
            continue
        if row["bucket"] != ctx.interval(cagg.bucket):
            j.problems.append(f"{cagg.name} bucket is {row['bucket']}, expected {cagg.bucket}")
        policy = ctx.probe.policy("policy_refresh_continuous_aggregate", cagg.name)
        if policy is None:
            j.problems.append(f"{cagg.name} has no refresh policy")
        elif policy["schedule_interval"] != ctx.interval(cagg.refresh_schedule):
            j.problems.append(f"{cagg.name} refreshes every {policy['schedule_interval']}, "
                              f"expected {cagg.refresh_schedule}")
    return j.result(f"{j.checked} of {len(wanted)} with buckets and refresh policies as expected")


def _split(value: object) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [" ".join(str(v).replace('"', "").split()) for v in items if str(v).strip()]


def check_compression_settings(ctx: Context) -> CheckResult:
    wanted = [t for t in ctx.expected.tables if t.compression]
    expected = "; ".join(f"{t.name} segment by {', '.join(t.compression.segment_by)}" for t in wanted if t.compression)
    if not ctx.has_timescaledb:
        return _no_extension("S07", "Compression settings", expected)
    j = Judgement("S07", "Compression settings", expected,
                  "ALTER TABLE <table> SET (timescaledb.compress_segmentby = '...', timescaledb.compress_orderby = "
                  "'...') as migration 005 defines (decompress its chunks first)")
    for table in j.objects(ctx, wanted, lambda t: t.compression.migration if t.compression else 0):
        assert table.compression is not None
        row = ctx.probe.compression_settings.get(table.name)
        if row is None:
            j.problems.append(f"{table.name} has compression disabled")
            continue
        segment_by, order_by = _split(row["segmentby"]), _split(row["orderby"])
        if segment_by != table.compression.segment_by:
            j.problems.append(f"{table.name} segments by {', '.join(segment_by) or 'nothing'}, expected "
                              f"{', '.join(table.compression.segment_by)}")
        if [o.upper() for o in order_by] != [o.upper() for o in table.compression.order_by]:
            j.problems.append(f"{table.name} orders by {', '.join(order_by) or 'nothing'}, expected "
                              f"{', '.join(table.compression.order_by)}")
    return j.result("segment-by and order-by as expected")


def check_compression_policies(ctx: Context) -> CheckResult:
    wanted = [t for t in ctx.expected.tables if t.compression]
    expected = "; ".join(f"{t.name} after {t.compression.compress_after}" for t in wanted if t.compression)
    if not ctx.has_timescaledb:
        return _no_extension("S08", "Compression policies active", expected)
    j = Judgement("S08", "Compression policies active", expected,
                  "SELECT add_compression_policy('<table>', INTERVAL '<expected>') (remove a wrong one first)")
    for table in j.objects(ctx, wanted, lambda t: t.compression.migration if t.compression else 0):
        assert table.compression is not None
        policy = ctx.probe.policy("policy_compression", table.name)
        if policy is None:
            j.problems.append(f"{table.name} has no compression policy")
        elif policy["compress_after"] != ctx.interval(table.compression.compress_after):
            j.problems.append(f"{table.name} compresses after {policy['compress_after']}, expected "
                              f"{table.compression.compress_after}")
    return j.result(f"{j.checked} of {len(wanted)} policies as expected")


def check_retention_policies(ctx: Context) -> CheckResult:
    targets: list[tuple[str, exp.Retention]] = [(t.name, t.retention) for t in ctx.expected.tables if t.retention]
    targets += [(c.name, c.retention) for c in ctx.expected.continuous_aggregates if c.retention]
    expected = "; ".join(f"{name} {r.drop_after}" for name, r in targets)
    if not ctx.has_timescaledb:
        return _no_extension("S09", "Retention policies active", expected)
    j = Judgement("S09", "Retention policies active", expected,
                  "SELECT add_retention_policy('<table or view>', INTERVAL '<expected>') (remove a wrong one first)")
    for name, retention in j.objects(ctx, targets, lambda t: t[1].migration):
        policy = ctx.probe.policy("policy_retention", name)
        if policy is None:
            j.problems.append(f"{name} has no retention policy")
        elif policy["drop_after"] != ctx.interval(retention.drop_after):
            j.problems.append(f"{name} drops after {policy['drop_after']}, expected {retention.drop_after}")
    return j.result(f"{j.checked} of {len(targets)} policies as expected")


def check_foreign_keys(ctx: Context) -> CheckResult:
    wanted = ctx.expected.foreign_keys
    j = Judgement("S10", "Foreign keys created",
                  ", ".join(f"{f.table}.{','.join(f.columns)} -> {f.references}" for f in wanted),
                  "ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY as migration 006 defines")
    for fk in j.objects(ctx, wanted, lambda f: f.migration):
        actual = ctx.probe.inspector.get_foreign_keys(fk.table) if fk.table in ctx.probe.tables else []
        match = next((a for a in actual if a["name"] == fk.name), None)
        if match is None:
            j.problems.append(f"foreign key {fk.name} on {fk.table} missing")
        elif (match["constrained_columns"], match["referred_table"], match["referred_columns"]) != (
            fk.columns, fk.references, fk.referenced_columns
        ):
            j.problems.append(f"foreign key {fk.name} is {match['constrained_columns']} -> "
                              f"{match['referred_table']}{match['referred_columns']}")
    return j.result(f"{j.checked} of {len(wanted)} present")


def check_column_counts(ctx: Context) -> CheckResult:
    tables = ctx.expected.tables
    added = ctx.expected.added_columns
    later = f" (+ {', '.join(f'{a.table}.{a.column}' for a in added)} of later migrations)" if added else ""
    j = Judgement("S11", "Column counts", ", ".join(f"{t.name} {t.columns}" for t in tables) + later,
                  "compare the table with its migration; add or drop the differing columns in a new migration")
    for table in j.objects(ctx, tables, lambda t: t.migration):
        if table.name not in ctx.probe.tables:
            j.problems.append(f"table {table.name} missing")
            continue
        names = {c["name"] for c in ctx.probe.inspector.get_columns(table.name)}
        own_added = [a for a in added if a.table == table.name]
        count = len(names - {a.column for a in own_added})
        if count != table.columns:
            j.problems.append(f"{table.name} has {count} columns, expected {table.columns}")
        for column in j.objects(ctx, own_added, lambda a: a.migration):
            if column.column not in names:
                j.problems.append(f"{table.name}.{column.column} missing (migration {column.migration:03d})")
    return j.result("all as expected")


def check_comments(ctx: Context) -> CheckResult:
    tables = [t for t in ctx.expected.tables if t.comment]
    j = Judgement("S12", "Table comments added", f"a comment on each of {len(tables)} tables",
                  "COMMENT ON TABLE <table> IS '...' (the text is in the table's migration)")
    for table in j.objects(ctx, tables, lambda t: t.migration):
        if table.name not in ctx.probe.tables:
            j.problems.append(f"table {table.name} missing")
        elif not (ctx.probe.inspector.get_table_comment(table.name).get("text") or "").strip():
            j.problems.append(f"table {table.name} has no comment")
    return j.result(f"{j.checked} of {len(tables)} commented")


def check_database_size(ctx: Context) -> CheckResult:
    """The database's size and each hypertable's (its own relation exactly, its chunks as verify/chunk_sizes
    reads them: statistics for settled chunks, exact for hot ones), without a size function per settled chunk."""
    name = "verify/database_size" if ctx.has_timescaledb else "verify/database_size_no_timescaledb"
    row = ctx.probe.rows(name)[0]
    sizes = {k: int(v) for k, v in row["hypertable_bytes"].items()}
    estimated: set[str] = set()
    if sizes:
        schema = ctx.probe.rows("verify/current_schema")[0]["schema"]
        for chunk in ctx.probe.chunk_sizes:
            table = chunk["object_name"]
            if chunk["object_schema"] == schema and table in sizes:
                sizes[table] += int(chunk["total_bytes"] or 0)
                if chunk["measured"] == "statistics":
                    estimated.add(table)
    parts = ", ".join(f"{k} {'~' if k in estimated else ''}{fmt.size(v)}" for k, v in sorted(sizes.items()))
    note = "; ~ from catalog statistics as of the last ANALYZE" if estimated else ""
    found = f"{row['database']} {fmt.size(int(row['database_bytes']))}" + (f" ({parts}{note})" if parts else "")
    return CheckResult("S13", "Database size summary", Status.PASS, "sizes readable", found)




SCHEMA_CHECKS: list[tuple[str, str, Callable[[Context], CheckResult]]] = [
    ("S01", "TimescaleDB extension enabled", check_extension),
    ("S02", "All tables exist", check_tables),
    ("S03", "All hypertables configured", check_hypertables),
    ("S04", "Chunk intervals", check_chunk_intervals),
    ("S05", "All indexes created", check_indexes),
    ("S06", "All continuous aggregates exist", check_continuous_aggregates),
    ("S07", "Compression settings", check_compression_settings),
    ("S08", "Compression policies active", check_compression_policies),
    ("S09", "Retention policies active", check_retention_policies),
    ("S10", "Foreign keys created", check_foreign_keys),
    ("S11", "Column counts", check_column_counts),
    ("S12", "Table comments added", check_comments),
    ("S13", "Database size summary", check_database_size),
]


def summary(results: list[CheckResult]) -> CheckResult:
    """Check 14: the overall verdict of checks 1-13."""
    counts = {s: sum(1 for r in results if r.status is s) for s in Status}
    found = ", ".join(f"{counts[s]} {s.value}" for s in Status if counts[s])
    failed = [r.id for r in results if r.status is Status.FAIL]
    if failed:
        return CheckResult("S14", "Validation summary", Status.FAIL, "no FAIL in checks 1-13", found,
                           f"fix the failing checks: {', '.join(failed)}")
    unchecked = [r.id for r in results if r.status is Status.COULD_NOT_CHECK]
    if unchecked:
        return CheckResult("S14", "Validation summary", Status.COULD_NOT_CHECK, "no FAIL in checks 1-13", found,
                           f"rerun: {', '.join(unchecked)} could not be checked")
    return CheckResult("S14", "Validation summary", Status.PASS, "no FAIL in checks 1-13", found)
