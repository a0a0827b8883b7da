"""Checks inside one article: shares, parts and wholes, targets against achievements.

Each rule relates claims only where the article itself ties them together: the same
sentence with a linking word (``chiếm``, ``trong đó``, ``vượt … chỉ tiêu``), or, for a
target, the same organisation, a compatible subject and unit, and a period that can be
made to match. Where the arithmetic needs an assumption, the check says which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.checks.context import ArticleContext, has_cue
from pipeline.checks.model import ArticleMeta, CheckRow, make_check
from pipeline.checks.numbers import (
    CANNOT_TELL,
    CONSISTENT,
    INCONSISTENT,
    fmt_en,
    fmt_vi,
    interval,
    judge,
    overlap,
    written_step,
)
from pipeline.checks.targets import target_checks
from pipeline.checks.text import subject_overlap, unit_class
from pipeline.text.normalize import fold
from pipeline.types import Claim

SHARE_CUES = ("chiem", "dat", "bang", "ty le", "ti le", "tuong duong", "(", "=")
GROWTH_CUES = ("tang", "giam", "vuot", "so voi", "cao hon", "thap hon", "nang")
WHOLE_FIRST = ("trong do", "trong so do", "trong so nay", "gom", "bao gom")
PART_FIRST = ("trong so", "trong tong so", "tren tong so")
PARTITION_CUES = ("gom", "bao gom")
AMOUNTS = ("count", "money", "quantity")


def step(c: Claim) -> float:
    return written_step(c.text, c.value)


def claim_interval(c: Claim, *, loose: bool = False) -> tuple[float, float]:
    """What a claim's figure allows (see :func:`pipeline.checks.numbers.interval`)."""
    q = "exact" if c.qualifier == "exceeding" else c.qualifier
    st = step(c)
    if q == "exact" and c.measure == "count" and st == 1 and float(c.value).is_integer():
        # a count written out in full is exact; only a round one (5.000) may be rounded
        hi = c.value_max if c.value_max is not None else c.value
        if not loose:
            return (c.value, hi)
        n = int(c.value)
        zeros = len(str(n)) - len(str(n).rstrip("0")) if n else 0
        r = 10**zeros / 2 if zeros >= 2 else 1.0
        return (c.value - r, hi + r)
    return interval(c.value, q, st, c.value_max, loose=loose)


def quote(c: Claim) -> str:
    return " ".join(c.text.split())


def _hedged(*claims: Claim) -> bool:
    return any(c.qualifier not in ("exact", "exceeding") or c.value_max for c in claims)


# -- a part and a whole against a percentage ------------------------------------------------


def _share_gap(gap: str) -> bool:
    return len(gap) <= 80 and has_cue(gap, SHARE_CUES) and not has_cue(gap, GROWTH_CUES)


def _subjects_agree(a: Claim, b: Claim) -> bool:
    """Subjects share most content words, or one of them is unknown."""
    if not a.subject or not b.subject:
        return True
    return subject_overlap(a.subject, b.subject) >= 0.5


def _whole_for(ctx: ArticleContext, part: Claim, pct: Claim) -> Claim | None:
    """The whole a counted part is a share of: a larger figure of the same unit earlier in
    the sentence with ``trong đó`` between, or right after the percentage (``trên tổng số``)."""
    same = [
        c
        for c in ctx.claims
        if c is not part
        and c.measure == part.measure
        and unit_class(c.unit) == unit_class(part.unit)
        and ctx.same_sentence(c, part)
        and c.value > part.value
    ]
    before = [c for c in same if c.end <= part.start and link(ctx.gap(c, part)) == "whole_first"]
    if len(before) == 1:
        return before[0]
    after = [
        c
        for c in same
        if ctx.adjacent(pct, c, 40) and has_cue(ctx.gap(pct, c), ("tong so", "tren tong"))
    ]
    return after[0] if len(after) == 1 else None


def percent_checks(ctx: ArticleContext) -> list[CheckRow]:
    """``748/1.711 …, chiếm hơn 43%``: the share computed from the part and the whole
    against the stated percentage."""
    out = []
    for pct in ctx.claims:
        if pct.measure != "percent" or pct.qualifier == "exceeding":
            continue
        for c in ctx.claims:
            if c is pct or not ctx.same_sentence(c, pct):
                continue
            if c.measure == "ratio" and c.denominator:
                if c.end <= pct.start:
                    ok = ctx.adjacent(c, pct) and _share_gap(ctx.gap(c, pct))
                else:  # "43% (748/1.711)": only a bracket or an equals sign ties them
                    g = ctx.gap(pct, c)
                    ok = ctx.adjacent(pct, c, 20) and has_cue(g, ("(", "=", "tuc", "tuong duong"))
                if not ok or not _subjects_agree(c, pct):
                    continue
                part, whole, members = c.value, c.denominator, [(c.id, "ratio")]
                hedged = _hedged(c)
            elif c.measure in AMOUNTS and ctx.adjacent(c, pct) and _share_gap(ctx.gap(c, pct)):
                w = _whole_for(ctx, c, pct)
                if w is None or not _subjects_agree(c, pct):
                    continue
                part, whole, members = c.value, w.value, [(c.id, "part"), (w.id, "whole")]
                hedged = _hedged(c, w)
            else:
                continue
            members.append((pct.id, "percent"))
            out.append(_percent_row(part, whole, pct, members, hedged))
    return out


def _percent_row(
    part: float, whole: float, pct: Claim, members: list[tuple[str, str]], hedged: bool
) -> CheckRow:
    share = 100 * part / whole
    verdict = judge(share, pct.value, pct.qualifier, step(pct), pct.value_max)
    if verdict == INCONSISTENT and hedged:
        verdict = CANNOT_TELL
    said = quote(pct)
    vi = (
        f"{fmt_vi(part)}/{fmt_vi(whole)} = {fmt_vi(share, 2)}%; bài viết ghi “{said}”: "
        + {
            CONSISTENT: "khớp.",
            INCONSISTENT: "không khớp.",
            CANNOT_TELL: "sai khác nhỏ hoặc số liệu ước lượng, chưa đủ căn cứ.",
        }[verdict]
    )
    en = (
        f"{fmt_en(part)}/{fmt_en(whole)} = {fmt_en(share, 2)}%; the article says “{said}”: "
        + {
            CONSISTENT: "consistent.",
            INCONSISTENT: "inconsistent.",
            CANNOT_TELL: "a small difference, or hedged figures: cannot tell.",
        }[verdict]
    )
    return make_check(
        "percent_of_whole",
        verdict,
        members,
        said,
        f"{fmt_en(part)}/{fmt_en(whole)} = {fmt_en(share, 2)}%",
        vi,
        en,
        stated_value=pct.value,
        computed_value=round(share, 4),
    )


# -- parts and wholes ---------------------------------------------------------------------


def link(gap: str) -> str | None:
    """How the words between two figures relate them: ``whole_first`` (``X, trong đó Y``,
    ``X gồm Y``), ``part_first`` (``Y trong số X``), or None.

    >>> link(" ĐH, trong đó "), link(" ý tưởng xuất sắc nhất trong số "), link(", gồm ")
    ('whole_first', 'part_first', 'whole_first')
    >>> link(" ĐH, thì năm 2017 con số này đã tăng lên thành ") is None
    True
    """
    if len(gap) > 60 or has_cue(gap, GROWTH_CUES) or ";" in gap:
        return None
    words = " ".join(re.findall(r"\w+", fold(gap)))
    if any(words.endswith(c) for c in PART_FIRST):
        return "part_first"
    if has_cue(gap, WHOLE_FIRST):
        return "whole_first"
    return None


def _same_kind(a: Claim, b: Claim) -> bool:
    return (
        a.measure == b.measure
        and a.status == b.status
        and unit_class(a.unit) is not None
        and unit_class(a.unit) == unit_class(b.unit)
    )


def _link_gap(ctx: ArticleContext, a: Claim, b: Claim) -> str:
    """The words between ``a`` and ``b`` after any figure of another kind between them
    (``5.015 … (vượt 3% chỉ tiêu …), trong đó 3.400``)."""
    inner = ctx.between(a, b)
    return ctx.gap(inner[-1], b) if inner else ctx.gap(a, b)


def _parts_of(ctx: ArticleContext, whole: Claim) -> tuple[list[Claim], bool]:
    """The parts listed after ``whole`` behind ``trong đó``/``gồm`` in its sentence, and
    whether the cue says they are all of it (``gồm``)."""
    later = [
        c
        for c in ctx.claims
        if c.start >= whole.end and ctx.same_sentence(c, whole) and c.measure == whole.measure
    ]
    if not later or not _same_kind(whole, later[0]):
        return [], False
    first = later[0]
    gap = _link_gap(ctx, whole, first)
    if link(gap) != "whole_first":
        return [], False
    parts = [first]
    for c in later[1:]:
        g = ctx.gap(parts[-1], c)
        if not _same_kind(whole, c) or ";" in g or link(g) is not None or len(g) > 120:
            break
        parts.append(c)
    return parts, has_cue(gap, PARTITION_CUES)


def _part_first(ctx: ArticleContext, part: Claim) -> Claim | None:
    """The whole of ``Y … trong số X``."""
    later = [c for c in ctx.claims if c.start >= part.end and ctx.same_sentence(c, part)]
    if later and _same_kind(part, later[0]) and link(ctx.gap(part, later[0])) == "part_first":
        return later[0]
    return None


def part_checks(ctx: ArticleContext) -> list[CheckRow]:
    """``12 quần chúng ưu tú, trong đó 8 hội viên được kết nạp``: a part is not larger
    than its whole; listed parts (``gồm``) add up to it."""
    out: list[CheckRow] = []
    for whole in ctx.claims:
        if whole.measure not in AMOUNTS:
            continue
        parts, partition = _parts_of(ctx, whole)
        if not parts:
            w = _part_first(ctx, whole)
            if w is None:
                continue
            whole, parts, partition = w, [whole], False
        w_hi = claim_interval(whole)[1]
        if len(parts) > 1:
            row = _sum_row(whole, parts, partition)
            if row is not None:
                out.append(row)
                continue
        for p in parts:
            p_lo = claim_interval(p)[0]
            verdict = CONSISTENT if p_lo <= w_hi else INCONSISTENT
            rel_vi = "không lớn hơn" if verdict == CONSISTENT else "lớn hơn"
            rel_en = "is not larger than" if verdict == CONSISTENT else "is larger than"
            out.append(
                make_check(
                    "part_of_whole",
                    verdict,
                    [(p.id, "part"), (whole.id, "whole")],
                    f"{quote(p)} ⊂ {quote(whole)}",
                    f"{fmt_en(p.value)} {'≤' if p.value <= whole.value else '>'} "
                    f"{fmt_en(whole.value)}",
                    f"Phần “{quote(p)}” {rel_vi} tổng “{quote(whole)}”.",
                    f"The part “{quote(p)}” {rel_en} its whole “{quote(whole)}”.",
                    stated_value=whole.value,
                    computed_value=p.value,
                )
            )
    return out


def _sum_row(whole: Claim, parts: list[Claim], partition: bool) -> CheckRow | None:
    total = sum(p.value for p in parts)
    lo = sum(claim_interval(p)[0] for p in parts)
    hi = sum(claim_interval(p)[1] for p in parts)
    w = claim_interval(whole)
    if overlap((lo, hi), w):
        verdict = CONSISTENT
    elif partition:  # "gồm" but the sum differs: a conflict, or parts counted otherwise
        verdict = CANNOT_TELL
    else:
        return None  # "trong đó" lists some parts, which may overlap: each is checked alone
    terms = " + ".join(fmt_en(p.value) for p in parts)
    terms_vi = " + ".join(fmt_vi(p.value) for p in parts)
    vi = {
        CONSISTENT: f"Các phần cộng lại {terms_vi} = {fmt_vi(total)}, khớp với tổng “{quote(whole)}”.",
        CANNOT_TELL: f"Các phần cộng lại {terms_vi} = {fmt_vi(total)}, khác tổng “{quote(whole)}”; có thể bài không kể hết các phần, hoặc các phần được đếm theo cách khác.",
    }[verdict]
    en = {
        CONSISTENT: f"The parts add up to {terms} = {fmt_en(total)}, matching the total “{quote(whole)}”.",
        CANNOT_TELL: f"The parts add up to {terms} = {fmt_en(total)}, not the total “{quote(whole)}”; the list may be incomplete, or the parts counted another way.",
    }[verdict]
    return make_check(
        "parts_sum",
        verdict,
        [(whole.id, "whole")] + [(p.id, "part") for p in parts],
        quote(whole),
        f"{terms} = {fmt_en(total)}",
        vi,
        en,
        stated_value=whole.value,
        computed_value=total,
    )


# -- the title against the body -----------------------------------------------------------


def _capped(c: Claim) -> tuple[float, float]:
    """A claim's interval with open ends closed at 10% beyond the figure: a title's
    ``hơn 3.400`` restates a body's 3.452, not its 5.015."""
    lo, hi = claim_interval(c)
    far = max(step(c), 0.1 * abs(c.value))
    return max(lo, c.value - far), min(hi, (c.value_max or c.value) + far)


def restatement_checks(ctx: ArticleContext) -> list[CheckRow]:
    """A figure of the title against the body's figure for the same thing."""
    out = []
    for t in ctx.claims:
        if not ctx.in_title(t) or not t.subject or unit_class(t.unit) is None:
            continue
        body = [
            b
            for b in ctx.claims
            if not ctx.in_title(b)
            and b.measure == t.measure
            and b.status == t.status
            and unit_class(b.unit) == unit_class(t.unit)
            and subject_overlap(b.subject, t.subject) >= 0.6
        ]
        if not body:
            continue
        agree = [b for b in body if overlap(_capped(b), _capped(t))]
        if agree:
            b = max(
                agree, key=lambda b: (b.value == t.value, subject_overlap(b.subject, t.subject))
            )
            out.append(
                make_check(
                    "restatement",
                    CONSISTENT,
                    [(t.id, "title"), (b.id, "body")],
                    quote(t),
                    quote(b),
                    f"Số liệu ở tiêu đề “{quote(t)}” khớp với thân bài “{quote(b)}”.",
                    f"The title's “{quote(t)}” agrees with the body's “{quote(b)}”.",
                    stated_value=t.value,
                    computed_value=b.value,
                )
            )
        else:
            said = "; ".join(quote(b) for b in body)
            out.append(
                make_check(
                    "restatement",
                    CANNOT_TELL,
                    [(t.id, "title")] + [(b.id, "body") for b in body],
                    quote(t),
                    said,
                    f"Tiêu đề ghi “{quote(t)}”, thân bài chỉ có “{said}”: có thể là tổng "
                    "hay số khác, chưa đủ căn cứ.",
                    f"The title says “{quote(t)}”, the body only “{said}”: it may be a sum "
                    "or another figure; cannot tell.",
                    stated_value=t.value,
                )
            )
    return out


def within_article(claims: Sequence[Claim], meta: ArticleMeta | None = None) -> list[CheckRow]:
    """Every within-article check of one article's claims."""
    ctx = ArticleContext(claims, meta)
    rows = percent_checks(ctx) + part_checks(ctx) + target_checks(ctx) + restatement_checks(ctx)
    seen: set[str] = set()
    out = []
    for r in rows:
        if r.id not in seen:
            seen.add(r.id)
            out.append(r)
    return out
