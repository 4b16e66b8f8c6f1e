"""Property-based tests (hypothesis) of the parsers: migration file names, durations, intervals in the app's own
words, DSN masking."""

from __future__ import annotations

from urllib.parse import quote

import psycopg
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from console.infra import fmt
from console.infra.dsn import mask, scrub
from console.infra.durations import parse_interval, parse_ms
from console.infra.errors import ConsoleError
from console.migrator.files import parse_name

passwords = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00"), min_size=6, max_size=40
)


def _assume_not_in_the_rest(password: str, rest: str) -> None:
    """Only passwords that the DSN's other text (`rest`: the DSN with the password left out, and what masking puts
    in its place) does not already spell: "postgr" is in "postgresql://" whether masked or not."""
    assume(all(spelling not in rest + " *** " for spelling in {password, quote(password, safe="")}))


def _assert_hidden(dsn: str, password: str) -> None:
    assert psycopg.conninfo.conninfo_to_dict(dsn)["password"] == password  # libpq reads what we built
    masked = mask(dsn)
    for spelling in {password, quote(password, safe="")}:
        assert spelling not in masked
    leaked = scrub(f"error near {password!s} in {dsn}", dsn)
    assert password not in leaked


@settings(max_examples=300, deadline=None)
@given(password=passwords)
def test_url_password_never_survives_masking(password: str) -> None:
    dsn = f"postgresql://app_user:{quote(password, safe='')}@db.internal:5432/observatory?sslmode=require"
    _assume_not_in_the_rest(password, "postgresql://app_user:@db.internal:5432/observatory?sslmode=require")
    _assert_hidden(dsn, password)


@settings(max_examples=300, deadline=None)
@given(password=passwords)
def test_quoted_key_value_password_never_survives_masking(password: str) -> None:
    escaped = password.replace("\\", "\\\\").replace("'", "\\'")
    dsn = f"host=db.internal port=5432 user=app_user password='{escaped}' dbname=observatory"
    _assume_not_in_the_rest(password, "host=db.internal port=5432 user=app_user password='' dbname=observatory")
    _assert_hidden(dsn, password)


@settings(max_examples=200, deadline=None)
@given(password=st.text(alphabet="abcdefghijkLMNOP0123456789!@#$%^&*()-_+=[]{}:;,.<>/?|~", min_size=6, max_size=30))
def test_plain_key_value_and_query_parameter_passwords_never_survive(password: str) -> None:
    plain = f"host=h user=u password={password} dbname=d"
    _assume_not_in_the_rest(password, "host=h user=u password= dbname=d")
    _assert_hidden(plain, password)
    query = f"postgresql://h/d?user=u&password={quote(password, safe='')}"
    _assume_not_in_the_rest(password, "postgresql://h/d?user=u&password=")
    _assert_hidden(query, password)


@given(version=st.integers(min_value=1, max_value=10**12),
       description=st.from_regex(r"[a-z0-9][a-z0-9_]{0,40}", fullmatch=True),
       width=st.integers(min_value=1, max_value=14), up=st.booleans())
def test_migration_file_names_parse_like_sqlx(version: int, description: str, width: int, up: bool) -> None:
    name = f"{version:0{width}d}_{description}{'.up' if up else ''}.sql"
    assert parse_name(name) == (version, description.replace("_", " "))


@given(name=st.from_regex(r"[a-zA-Z0-9.\-]{1,30}", fullmatch=True))
def test_names_without_underscore_or_sql_suffix_are_ignored(name: str) -> None:
    assert parse_name(name) is None
    assert parse_name(f"{name}_x.txt") is None


@given(prefix=st.from_regex(r"[0-9]*[a-zA-Z\-+ ][a-zA-Z0-9\-+ ]*", fullmatch=True))
def test_non_integer_versions_are_refused(prefix: str) -> None:
    with pytest.raises(ConsoleError, match="bad migration file name"):
        parse_name(f"{prefix}_thing.sql")


@given(value=st.integers(min_value=1, max_value=3600), unit=st.sampled_from(["ms", "s", "min", "h", ""]))
def test_durations_parse_to_milliseconds(value: int, unit: str) -> None:
    factor = {"ms": 1, "s": 1000, "": 1000, "min": 60_000, "h": 3_600_000}[unit]
    expected = value * factor
    if expected > 86_400_000:
        with pytest.raises(ConsoleError, match="at most 24h"):
            parse_ms(f"{value}{unit}", "--x")
    else:
        assert parse_ms(f"{value}{unit}", "--x") == expected


_CLOCK_TEXT = {"seconds": "00:00:{:02d}", "minutes": "00:{:02d}:00", "hours": "{:02d}:00:00"}


@given(value=st.integers(min_value=1, max_value=59), unit=st.sampled_from(["seconds", "minutes", "hours", "days"]))
def test_intervals_the_app_prints_are_taken_back(value: int, unit: str) -> None:
    # Issue 24: what the app prints for an interval (a job's schedule, a policy's age) is accepted as typed.
    postgres = _CLOCK_TEXT[unit].format(value) if unit in _CLOCK_TEXT else f"{value} {'day' if value == 1 else unit}"
    printed = fmt.interval_words(postgres)
    assert printed is not None
    words = f"{value} {unit.removesuffix('s') if value == 1 else unit}"  # "1 hour", as an action's name says it
    assert parse_interval(printed, "INTERVAL") == words
    assert parse_interval(printed.upper(), "INTERVAL") == words
    assert parse_interval(f"{value}{unit[0] if unit != 'minutes' else 'min'}", "INTERVAL") == words


@given(text=st.one_of(st.just("0"), st.just("0s"), st.just("-5s"), st.just("-1"), st.text(max_size=10)))
def test_bad_durations_are_one_line_errors(text: str) -> None:
    assume(not _is_positive_duration(text))
    with pytest.raises(ConsoleError) as caught:
        parse_ms(text, "--lock-timeout")
    assert "--lock-timeout" in caught.value.message and "\n" not in caught.value.message


def _is_positive_duration(text: str) -> bool:
    try:
        return parse_ms(text, "--x") > 0
    except ConsoleError:
        return False
