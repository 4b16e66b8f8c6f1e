"""What the answer to an action's one-line prompt means: the words typed -> the Request to plan. The command palette
asks for the whole target ("llm_logs 90d"); the dashboard's row actions put the row's relation first and ask for
the rest ("90d"). A malformed answer is a ConsoleError naming what was expected."""

from __future__ import annotations

import re

from console.actions.backends import BackendSignal
from console.actions.caggs import CaggRefresh
from console.actions.chunks import ChunkCompression, ChunkDrop
from console.actions.plan import Request
from console.actions.policies import PolicyChange
from console.infra.durations import parse_interval, parse_moment
from console.infra.errors import ConsoleError

OPEN_END = "-"  # a refresh window's end typed as "-" is open
_GLUE = "\x00"  # stands for the space between an amount and its unit while the answer is split
_AMOUNT_THEN_UNIT = re.compile(r"(?<!\S)(\d+)\s+(?=[A-Za-z]+(?:\s|$))")


def split_answer(text: str) -> list[str]:
    """The words of an answer, an amount and its unit word kept together as the app prints them: "llm_logs 9 days"
    -> ["llm_logs", "9 days"]."""
    joined = _AMOUNT_THEN_UNIT.sub(lambda m: m.group(1) + _GLUE, text)
    return [word.replace(_GLUE, " ") for word in joined.split()]


def _words(words: list[str], low: int, high: int, usage: str) -> list[str]:
    if not low <= len(words) <= high:
        raise ConsoleError(f"expected {usage}")
    return words + [""] * (high - len(words))


def signal(verb: str, words: list[str]) -> Request:
    """`PID`: cancel or terminate that backend."""
    (pid,) = _words(words, 1, 1, "a pid")
    if not pid.isdigit():
        raise ConsoleError(f"{pid!r} is not a pid")
    return BackendSignal(verb, int(pid))


def compression(verb: str, words: list[str]) -> Request:
    """`CHUNK`, or `HYPERTABLE AGE`: compress or decompress one chunk, or the hypertable's chunks older than AGE."""
    first, age = _words(words, 1, 2, "a chunk name, or a hypertable and an age")
    if not age:
        return ChunkCompression(verb, name=first)
    return ChunkCompression(verb, table=first, older_than=parse_interval(age, "age"))


def refresh(words: list[str]) -> Request:
    """`VIEW [FROM [TO]]`: refresh the aggregate over the window (ISO 8601 times or ages; '-' or nothing: open)."""
    view, start, end = _words(words, 1, 3, "a view, then optionally from and to")
    return CaggRefresh(view, parse_moment(_given(start), "from"), parse_moment(_given(end), "to"))


def _given(word: str) -> str | None:
    return None if word in ("", OPEN_END) else word


def drop(words: list[str]) -> Request:
    """`HYPERTABLE AGE`: drop the hypertable's chunks entirely older than AGE."""
    table, age = _words(words, 2, 2, "a hypertable and an age")
    return ChunkDrop(table, parse_interval(age, "age"))


def policy(kind: str, words: list[str]) -> Request:
    """`RELATION AGE` or `RELATION remove`: set or remove its retention or compression policy."""
    relation, after = _words(words, 2, 2, "a hypertable and an age, or 'remove'")
    if after == "remove":
        return PolicyChange(kind, relation, remove=True)
    return PolicyChange(kind, relation, parse_interval(after, "age"))
