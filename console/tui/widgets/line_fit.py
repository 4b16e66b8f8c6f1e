"""Fitting a line of parts to a width without cutting a word: each part has shorter forms (a form "" leaves it
out); they give way one form at a time, in the order of `gives`. A header whose shortest forms do not fit
one line gets a line per group of parts, and a group too long for one line wraps between words (in the longest
forms that take no more lines)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.text import Text


@dataclass(frozen=True)
class Part:
    """One part of a line: its forms, longest first; `gives`, one per shorter form (rising), orders the shortening
    among all parts (lowest first); `sep` goes before it on a line (dropped at the start of a line)."""

    forms: tuple[str, ...]
    style: str = ""
    gives: tuple[float, ...] = ()
    sep: str = " · "

    @property
    def text(self) -> str:
        return self.forms[0]


def fit(one_line: Sequence[Part], groups: Sequence[Sequence[Part]], width: int) -> list[Text]:
    """A header's lines: `one_line` when it fits (shortened as it may), else one or more per group."""
    one = _first_fitting(list(one_line), width)
    if one is not None:
        return [_line(one)]
    lines: list[Text] = []
    for group in groups:
        fitted = _first_fitting(list(group), width)
        lines.extend([_line(fitted)] if fitted is not None else _fewest_lines(list(group), width))
    return lines


def _fewest_lines(parts: list[Part], width: int) -> list[Text]:
    """Parts too long for one line, wrapped: in the longest forms that take no more lines than the shortest."""
    return min((_wrapped(step, width) for step, _given in _ladder(parts)), key=len)


def fitted(parts: Sequence[Part], width: int) -> str:
    """The parts on one line without a margin, shortened until they fit `width` (at their shortest if none do)."""
    chosen = _first_fitting(list(parts), width + 1) or _shortest(list(parts))
    return _line(chosen).plain.removeprefix(" ")


def _first_fitting(parts: list[Part], width: int) -> list[Part] | None:
    """The first shortening that fits, then what gave way longer again where it still fits (last given first)."""
    for step, given in _ladder(parts):
        if _width(step) <= width:
            for index in reversed(given):
                longer = [*step]
                longer[index] = replace(step[index], forms=parts[index].forms[
                    len(parts[index].forms) - len(step[index].forms) - 1:])
                if _width(longer) <= width:
                    step = longer
            return step
    return None


def _ladder(parts: list[Part]) -> Iterator[tuple[list[Part], list[int]]]:
    """The parts as they are, then shorter one form at a time, in the order of their `gives`; with each, the
    parts shortened so far, in order."""
    current = list(parts)
    given: list[int] = []
    yield current, given
    for _gives, index in sorted((g, i) for i, part in enumerate(parts) for g in part.gives[:len(part.forms) - 1]):
        current = [*current]
        current[index] = replace(current[index], forms=current[index].forms[1:])
        given = [*given, index]
        yield current, given


def _shortest(parts: list[Part]) -> list[Part]:
    return [replace(part, forms=part.forms[-1:]) for part in parts]


def _shown(parts: list[Part]) -> list[Part]:
    return [part for part in parts if part.text]


def _lead(part: Part) -> str:
    """A line starts one column in, unless its first part brings its own margin (the reversed title)."""
    return "" if part.text.startswith(" ") else " "


def _width(parts: list[Part]) -> int:
    shown = _shown(parts)
    if not shown:
        return 0
    return cell_len(_lead(shown[0])) + sum(cell_len(part.text) for part in shown) + \
        sum(cell_len(part.sep) for part in shown[1:])


def _line(parts: list[Part]) -> Text:
    shown = _shown(parts)
    line = Text(_lead(shown[0]) if shown else "", no_wrap=True)
    for index, part in enumerate(shown):
        if index:
            line.append(part.sep)
        line.append(part.text, style=part.style)
    return line


def _wrapped(parts: list[Part], width: int) -> list[Text]:
    """Parts laid out over as many lines as they need: whole where they fit a line, else between words (a word
    wider than the line is folded)."""
    lines = [Text(_lead(parts[0]) if parts else "", overflow="fold")]
    for part in _shown(parts):
        started = lines[-1].cell_len > 1
        if started and lines[-1].cell_len + cell_len(part.sep) + cell_len(part.text) <= width:
            lines[-1].append(part.sep)
            lines[-1].append(part.text, style=part.style)
            continue
        if started:
            lines.append(Text(_lead(part), overflow="fold"))
        if lines[-1].cell_len + cell_len(part.text) <= width:
            lines[-1].append(part.text, style=part.style)
            continue
        for index, word in enumerate(part.text.strip().split(" ")):
            if index and lines[-1].cell_len + 1 + cell_len(word) > width:
                lines.append(Text(" ", overflow="fold"))
            elif index:
                lines[-1].append(" ", style=part.style)
            lines[-1].append(word, style=part.style)
    return lines
