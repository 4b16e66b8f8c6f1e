"""Which columns fit a width: priority 0 always stays, higher numbers give way first, and a narrow column that
gave way for a wide one comes back when it fits (pure function; no database involved)."""

from __future__ import annotations

from console.view import WRAP_MIN, Cell, Column, ViewRow, fit_columns, fit_parts, fit_widths, least_width

COLUMNS = (Column("name", 0, identifier=True), Column("figure", 0), Column("wide", 3), Column("narrow", 4),
           Column("also", 1))
ROWS = (ViewRow("a", (Cell("a" * 20), Cell("12345"), Cell("w" * 30), Cell("n"), Cell("al"))),)


def test_everything_fits_when_wide_enough() -> None:
    assert fit_columns(COLUMNS, ROWS, 200, gap=2) == [0, 1, 2, 3, 4]


def test_low_priority_gives_way_and_narrow_comes_back() -> None:
    # name 20 + figure 6 + also 4 + narrow 6 with gaps = 42: the 30-wide column goes, the narrow one stays.
    assert fit_columns(COLUMNS, ROWS, 44, gap=2) == [0, 1, 3, 4]


def test_key_columns_stay_even_when_they_overflow() -> None:
    assert fit_columns(COLUMNS, ROWS, 10, gap=2) == [0, 1]


WRAPPING = (Column("id", 0), Column("what", 0, wrap=True), Column("kind", 1, wrap=True), Column("extra", 3),
            Column("note", 2, wrap=True))
WRAP_ROWS = (ViewRow("a", (Cell("1"), Cell("job history retention"), Cell("compression policy"), Cell("x" * 10),
                           Cell("a long note of many short words"))),
             ViewRow("b", (Cell("2"), Cell("telemetry"), Cell("retention policy"), Cell(""), Cell("short"))))


def test_a_wrapping_column_is_counted_at_its_longest_word() -> None:
    assert least_width(WRAPPING[1], 1, WRAP_ROWS) == 9  # "retention"
    assert least_width(WRAPPING[2], 2, WRAP_ROWS) == 11  # "compression"
    assert least_width(WRAPPING[4], 4, WRAP_ROWS) == WRAP_MIN  # no word longer than 8


def test_a_less_important_column_gives_way_whole_for_a_wrapping_one() -> None:
    # At their least widths all five fit 48 (2 + 9 + 11 + 10 + 8 and 4 gaps of 2), but the kind (priority 1)
    # would wrap in both rows: `extra` (priority 3) gives way whole and the kind is whole (18). The note wraps in
    # one row only: nothing gives way for it; what is left widens `what` first (the more important of the two).
    assert fit_widths(WRAPPING, WRAP_ROWS, 48) == [(0, 2), (1, 14), (2, 18), (4, 8)]
    assert fit_widths(WRAPPING, WRAP_ROWS, 50) == [(0, 2), (1, 16), (2, 18), (4, 8)]


def test_an_empty_column_gives_way_first() -> None:
    columns = (*WRAPPING, Column("never", 1))
    rows = tuple(ViewRow(r.key, (*r.cells, Cell(""))) for r in WRAP_ROWS)
    assert fit_widths(columns, rows, 48) == fit_widths(WRAPPING, WRAP_ROWS, 48)
    assert (5, 5) in fit_widths(columns, rows, 200)  # shown, at its header's width, where everything fits


def test_widths_left_over_make_wrapping_columns_whole() -> None:
    assert fit_widths(WRAPPING, WRAP_ROWS, 200) == [(0, 2), (1, 21), (2, 18), (3, 10), (4, 31)]


def test_parts_fit_a_line_in_order_the_first_ones_always() -> None:
    parts = ["PASS: 17 PASS", "19 of 19 checks", "ran at 12:05:00 UTC", "r: re-run, e: export JSON"]
    assert fit_parts(parts, 60, keep=2) == "PASS: 17 PASS · 19 of 19 checks · ran at 12:05:00 UTC"
    assert fit_parts(parts, 20, keep=2) == "PASS: 17 PASS · 19 of 19 checks"
    assert fit_parts(parts, 200, keep=1) == " · ".join(parts)
