"""Checks across articles: the same measure said twice, and series over the years.

Two claims are about the same measure only when everything that says what they count
agrees: the organisation (as written, folded, with common abbreviations), the content
words of the subject (all of them), the unit, the measure and the status, and the place
where both name a province. A comparison also needs the same period, stated with years
(``năm 2019``, ``nhiệm kỳ 2016 – 2021``): ``hiện nay`` or ``năm qua`` mean different
things in articles of different dates, so such claims are left out.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence

from pipeline.checks.model import ArticleMeta, CheckRow, make_check
from pipeline.checks.numbers import CANNOT_TELL, CONSISTENT, INCONSISTENT, fmt_en, fmt_vi, overlap
from pipeline.checks.text import org_key, parse_period, tokens, unit_class
from pipeline.checks.within import claim_interval, quote
from pipeline.types import Claim

MeasureKey = tuple[str, frozenset[str], str, str, str, str]


def measure_key(c: Claim) -> MeasureKey | None:
    """What a claim measures, or None when too little is known to compare it.

    >>> from pipeline.types import Claim
    >>> c = Claim("a", "", "120 đảng viên", 0, 1, 120, "count", "reported", "exact",
    ...           unit="đảng viên", subject="đảng viên mới", organisation="Đảng bộ tỉnh X")
    >>> measure_key(c)[0], sorted(measure_key(c)[1]), measure_key(c)[2]
    ('dang bo tinh x', ['dang', 'moi', 'vien'], 'people')
    """
    if not c.organisation or not c.subject or c.qualifier == "exceeding":
        return None
    subject = tokens(c.subject)
    unit = unit_class(c.unit) or c.measure
    if not subject:
        return None
    place = c.province_id or ""
    return (org_key(c.organisation), subject, unit, c.measure, c.status, place)


def _year_span(c: Claim) -> tuple[int, int] | None:
    p = parse_period(c.period)
    if p is None or p.per_year or p.first is None or p.last is None:
        return None
    return (p.first, p.last)


def _source(c: Claim, articles: Mapping[str, ArticleMeta]) -> str:
    meta = articles.get(c.article_id)
    bits = [c.article_id]
    if meta and meta.outlet:
        bits.append(meta.outlet)
    if meta and meta.published:
        bits.append(meta.published)
    return ", ".join(bits)


def _one_per_article(claims: list[Claim]) -> list[Claim]:
    seen: dict[str, Claim] = {}
    for c in sorted(claims, key=lambda c: (c.article_id, c.start)):
        seen.setdefault(c.article_id, c)
    return list(seen.values())


def cross_article(
    claims: Sequence[Claim], articles: Mapping[str, ArticleMeta] | None = None
) -> list[CheckRow]:
    """Same measure, same period, different articles: do they agree?"""
    articles = articles or {}
    groups: dict[tuple[MeasureKey, tuple[int, int]], list[Claim]] = defaultdict(list)
    for c in claims:
        key, span = measure_key(c), _year_span(c)
        if key is not None and span is not None:
            groups[(key, span)].append(c)
    out = []
    for (_, span), members in sorted(groups.items(), key=lambda kv: kv[1][0].id):
        members = _one_per_article(members)
        if len(members) < 2:
            continue
        ivs = [claim_interval(c) for c in members]
        agree = all(overlap(a, b) for i, a in enumerate(ivs) for b in ivs[i + 1 :])
        loose = all(
            overlap(claim_interval(a, loose=True), claim_interval(b, loose=True))
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        )
        verdict = CONSISTENT if agree else CANNOT_TELL if loose else INCONSISTENT
        said = "; ".join(f"“{quote(c)}” ({_source(c, articles)})" for c in members)
        first = members[0]
        period = f"{span[0]}" if span[0] == span[1] else f"{span[0]}–{span[1]}"
        same_words = len({" ".join(c.sentence.split()) for c in members}) == 1
        note_en = (
            " The sentences are word for word the same: one report, republished."
            if same_words
            else ""
        )
        note_vi = (
            " Các câu giống hệt nhau: có thể là cùng một bản tin được đăng lại."
            if same_words
            else ""
        )
        what = f"{first.subject} ({first.organisation}, {period})"
        en = {
            CONSISTENT: f"{len(members)} articles give {what} and agree: {said}.",
            INCONSISTENT: f"{len(members)} articles give {what} and conflict: {said}.",
            CANNOT_TELL: f"{len(members)} articles give {what}; the figures differ slightly: {said}.",
        }[verdict] + note_en
        vi = {
            CONSISTENT: f"{len(members)} bài viết cùng nêu {what} và khớp nhau: {said}.",
            INCONSISTENT: f"{len(members)} bài viết cùng nêu {what} nhưng mâu thuẫn: {said}.",
            CANNOT_TELL: f"{len(members)} bài viết cùng nêu {what}, số liệu hơi khác: {said}.",
        }[verdict] + note_vi
        values = sorted(c.value for c in members)
        out.append(
            make_check(
                "cross_article",
                verdict,
                [(c.id, "member") for c in members],
                " | ".join(quote(c) for c in members),
                f"range {fmt_en(values[0])}–{fmt_en(values[-1])}",
                vi,
                en,
                stated_value=values[0],
                computed_value=values[-1],
            )
        )
    return out


def series(
    claims: Sequence[Claim], articles: Mapping[str, ArticleMeta] | None = None
) -> list[CheckRow]:
    """The same reported measure of one organisation in two or more single years.

    A series is shown for comparison, not judged: its verdict is ``cannot_tell``."""
    articles = articles or {}
    groups: dict[MeasureKey, dict[int, list[Claim]]] = defaultdict(lambda: defaultdict(list))
    for c in claims:
        key, span = measure_key(c), _year_span(c)
        if key is None or span is None or span[0] != span[1] or c.status != "reported":
            continue
        groups[key][span[0]].append(c)
    out = []
    for _, by_year in sorted(groups.items(), key=lambda kv: min(kv[1])):
        if len(by_year) < 2:
            continue
        points = [(y, _one_per_article(cs)[0]) for y, cs in sorted(by_year.items())]
        first = points[0][1]
        seq_en = "; ".join(f"{y}: {quote(c)} ({_source(c, articles)})" for y, c in points)
        seq_vi = seq_en
        steps = [
            f"{a[0]}→{b[0]}: {fmt_en(100 * (b[1].value - a[1].value) / a[1].value)}%"
            for a, b in itertools.pairwise(points)
            if a[1].value
        ]
        out.append(
            make_check(
                "series",
                CANNOT_TELL,
                [(c.id, f"year {y}") for y, c in points],
                " | ".join(f"{y}: {fmt_vi(c.value)}" for y, c in points),
                "; ".join(steps),
                f"Chuỗi số liệu theo năm của {first.organisation} về {first.subject}: {seq_vi}. "
                "Chỉ để so sánh, không phải một phép kiểm tra.",
                f"Series by year of {first.organisation} for {first.subject}: {seq_en}. "
                "Shown for comparison, not a check.",
            )
        )
    return out
