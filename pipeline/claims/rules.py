"""The context rules of the claim finder: cue words from ``cues.yaml`` and the small pure
functions that read them around a number (qualifier, status, what comes right before).

All functions take the lower-cased sentence (same length as the sentence) and offsets.

>>> qualifier_before("đã tổ chức được trên 25 nghìn cuộc", 21)
('more_than', 16)
>>> status_at("hội lhpn tỉnh đã đề ra chỉ tiêu, hằng năm các cấp hội giới thiệu 1.000", 66)
'target'
>>> status_at("chúng tôi đã vượt chỉ tiêu, giới thiệu được 12", 44)
'reported'
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DATA = Path(__file__).with_name("cues.yaml")
_TOKEN = re.compile(r"[^\W_]+")
_CLAUSE_END = re.compile(r"[.;:!?()\[\]“”\"\n]")
_CLOSED = re.compile(r"\([^()]*\)")
_TRO_LEN = re.compile(r"[^.;,\n]{0,30}?\btrở lên\b")


@dataclass(frozen=True, slots=True)
class Cues:
    qualifiers: dict[str, str]  # phrase -> qualifier
    target: frozenset[str]
    reported: frozenset[str]
    met: frozenset[str]
    identifier: frozenset[str]
    neutral: frozenset[str]
    vague: frozenset[str]
    backref_before: frozenset[str]
    backref_after: frozenset[str]
    duration_statistic: frozenset[str]
    age_statistic: frozenset[str]
    bare_statistic_before: frozenset[str]
    date_words: frozenset[str]
    backref_units: frozenset[str]
    one_as_article_before: frozenset[str]


@cache
def cues() -> Cues:
    raw: dict[str, Any] = yaml.load(DATA.read_text(encoding="utf-8"), Loader=_LOADER)
    quals = {str(p): q for q, phrases in raw["qualifiers"].items() for p in phrases}

    def fs(key: str) -> frozenset[str]:
        return frozenset(str(w) for w in raw[key])

    return Cues(
        quals,
        fs("target_cues"),
        fs("reported_cues"),
        fs("met_words"),
        fs("identifier_words"),
        fs("neutral_before"),
        fs("vague_words"),
        fs("backref_before"),
        fs("backref_after"),
        fs("duration_statistic"),
        fs("age_statistic"),
        fs("bare_statistic_before"),
        fs("date_words"),
        fs("backref_units"),
        fs("one_as_article_before"),
    )


def tokens(low: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the letter/digit words of ``low[start:end]`` (a word cut by ``start`` or
    ``end`` is cut there too), as ``_TOKEN.finditer(low, start, end)`` gives them.

    >>> tokens("hội viên, 3.400 người", 2, 18)
    [(2, 3), (4, 8), (10, 11), (12, 15), (16, 18)]
    """
    n = len(low)
    end = n if end is None else min(max(end, 0), n)
    start = min(max(start, 0), n)
    if start >= end:
        return []
    # the words of the whole text are found once (the rules ask for many windows of it)
    starts, ends, spans = _token_spans(low)
    out = spans[bisect_right(ends, start) : bisect_left(starts, end)]
    if out:
        a, b = out[0]
        if a < start:
            out[0] = (start, b)
        a, b = out[-1]
        if b > end:
            out[-1] = (a, end)
    return out


@lru_cache(maxsize=64)
def _token_spans(low: str) -> tuple[list[int], list[int], list[tuple[int, int]]]:
    spans = [m.span() for m in _TOKEN.finditer(low)]
    return [a for a, _ in spans], [b for _, b in spans], spans


def phrase_before(
    low: str, pos: int, phrases: frozenset[str] | dict[str, str], most: int = 4
) -> tuple[str, int] | None:
    """The longest of ``phrases`` that ends right before ``pos`` (only spaces between).

    >>> phrase_before("giới thiệu hơn 3.400", 15, frozenset({"hơn", "giới thiệu hơn"}))
    ('giới thiệu hơn', 0)
    >>> phrase_before("hơn, 3.400", 5, frozenset({"hơn"})) is None
    True
    """
    for phrase, start in reversed(_tails(low, pos)[:most]):
        if phrase in phrases:
            return phrase, start
    return None


@lru_cache(maxsize=2048)
def _tails(low: str, pos: int) -> tuple[tuple[str, int], ...]:
    """The 1..4-word phrases that end right before ``pos``, shortest first."""
    toks = tokens(low, max(0, pos - 60), pos)
    if toks and toks[0][0] > 0 and low[toks[0][0] - 1].isalnum():
        toks = toks[1:]
    if not toks or low[toks[-1][1] : pos].strip():
        return ()
    out = []
    for n in range(1, min(4, len(toks)) + 1):
        if n > 1 and low[toks[-n][1] : toks[-n + 1][0]].strip():
            break
        out.append((" ".join(low[a:b] for a, b in toks[-n:]), toks[-n][0]))
    return tuple(out)


def qualifier_before(low: str, pos: int) -> tuple[str, int] | None:
    """The qualifier written right before a number and where it starts."""
    found = phrase_before(low, pos, cues().qualifiers)
    if found is None:
        return None
    return cues().qualifiers[found[0]], found[1]


def at_least_after(low: str, pos: int) -> int | None:
    """End of "trở lên" when it follows the counted noun: "từ 60% trở lên" is at_least.

    >>> at_least_after("từ 95% trở lên đạt chuẩn", 6)
    14
    """
    m = _TRO_LEN.match(low, pos)
    return m.end() if m else None


def clause_start(low: str, pos: int) -> int:
    """Start of the clause (after the last . ; : ( “ or line break) that holds ``pos``."""
    start = 0
    for m in _CLAUSE_END.finditer(low, 0, pos):
        start = m.end()
    return start


def _has_phrase(low: str, start: int, end: int, phrases: frozenset[str]) -> list[tuple[int, str]]:
    """(position, phrase) of every phrase of ``phrases`` inside ``low[start:end]``."""
    toks = tokens(low, start, end)
    words = [low[a:b] for a, b in toks]
    firsts = _first_words(phrases)
    out = []
    for i, word in enumerate(words):
        if word not in firsts:  # no phrase starts with this word
            continue
        for n in (1, 2, 3):
            if i + n <= len(words):
                phrase = " ".join(words[i : i + n])
                if phrase in phrases:
                    out.append((toks[i][0], phrase))
    return out


_FIRSTS: dict[frozenset[str], frozenset[str]] = {}


def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    """The first words of ``phrases`` (a phrase matches words only when its first word is
    the first of them)."""
    found = _FIRSTS.get(phrases)
    if found is None:
        if len(_FIRSTS) > 64:
            _FIRSTS.clear()
        found = _FIRSTS[phrases] = frozenset(p.split(" ")[0] for p in phrases)
    return found


def _met_before(low: str, pos: int) -> bool:
    """A met word (``vượt``, ``đạt``) among the three words before ``pos``."""
    toks = tokens(low, max(0, pos - 40), pos)[-3:]
    words = [low[a:b] for a, b in toks]
    joined = " ".join(words)
    return any(w in cues().met for w in words) or any(f" {m} " in f" {joined} " for m in cues().met)


def status_at(low: str, pos: int) -> str:
    """``target`` when a goal word comes before the number in its sentence and nothing
    between says it was met; ``reported`` otherwise."""
    c = cues()
    closed = [(m.start(), m.end()) for m in _CLOSED.finditer(low, 0, pos)]
    targets = [
        (p, w)
        for p, w in _has_phrase(low, 0, pos, c.target)
        if not _met_before(low, p) and not any(a < p < b for a, b in closed)
    ]
    if not targets:
        # "sẽ" after the number in the same clause: "38 đội sẽ ra quân"
        end = _CLAUSE_END.search(low, pos)
        stop = end.start() if end else len(low)
        near = tokens(low, pos, stop)[:15]  # "38 đội tình nguyện sẽ ra quân", not far after
        stop = near[-1][1] if near else pos
        if any(w == "sẽ" for _, w in _has_phrase(low, pos, stop, c.target)):
            return "target"
        return "reported"
    last = max(p for p, _ in targets)
    between = _has_phrase(low, last, pos, c.reported)
    return "reported" if between else "target"
