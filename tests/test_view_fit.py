"""Which columns fit a width: priority 0 always stays, higher numbers give way first, and a narrow column that
gave way for a wide one comes back when it fits (pure function; no database involved)."""

from __future__ import annotations

from console.view import Cell, Column, ViewRow, fit_columns

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
