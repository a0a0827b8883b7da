"""Checks inside one article: shares, parts and wholes, targets against achievements.

Each rule relates claims only where the article itself ties them together: the same
sentence with a linking word (``chiếm``, ``trong đó``, ``vượt … chỉ tiêu``), or, for a
target, the same organisation, a compatible subject and unit, and a period that can be
made to match. Where the arithmetic needs an assumption, the check says which.
"""

from __future__ import annotations

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
from pipeline.types import Claim

SHARE_CUES = ("chiem", "dat", "bang", "ty le", "ti le", "tuong duong", "(", "=")
GROWTH_CUES = ("tang", "giam", "vuot", "so voi", "cao hon", "thap hon", "nang")
SUBSET_CUES = ("trong do", "trong so", "so nay", "gom", "bao gom")
PARTITION_CUES = ("gom", "bao gom")
AMOUNTS = ("count", "money", "quantity")


def step(c: Claim) -> float:
    return written_step(c.text, c.value)


def claim_interval(c: Claim, *, loose: bool = False) -> tuple[float, float]:
    """What a claim's figure allows (see :func:`pipeline.checks.numbers.interval`)."""
    q = "exact" if c.qualifier == "exceeding" else c.qualifier
    return interval(c.value, q, step(c), c.value_max, loose=loose)


def quote(c: Claim) -> str:
    return " ".join(c.text.split())


def _hedged(*claims: Claim) -> bool:
    return any(c.qualifier not in ("exact", "exceeding") or c.value_max for c in claims)


# -- a part and a whole against a percentage ------------------------------------------------


def _share_gap(gap: str) -> bool:
    return len(gap) <= 80 and has_cue(gap, SHARE_CUES) and not has_cue(gap, GROWTH_CUES)


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
    before = [c for c in same if c.end <= part.start and has_cue(ctx.gap(c, part), SUBSET_CUES)]
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
                pair = (c, pct) if c.end <= pct.start else (pct, c)
                if not ctx.adjacent(*pair) or not _share_gap(ctx.gap(*pair)):
                    continue
                part, whole, members = c.value, c.denominator, [(c.id, "ratio")]
                hedged = _hedged(c)
            elif c.measure in AMOUNTS and ctx.adjacent(c, pct) and _share_gap(ctx.gap(c, pct)):
                w = _whole_for(ctx, c, pct)
                if w is None:
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


def _parts_of(ctx: ArticleContext, whole: Claim) -> tuple[list[Claim], bool]:
    """The parts listed after ``whole`` behind ``trong đó``/``gồm`` in its sentence, and
    whether the cue says they are all of it (``gồm``)."""
    cls = unit_class(whole.unit)
    later = [
        c
        for c in ctx.claims
        if c.start >= whole.end and ctx.same_sentence(c, whole) and c.measure == whole.measure
    ]
    if not later or cls is None:
        return [], False
    first = later[0]
    if unit_class(first.unit) != cls or first.status != whole.status:
        return [], False
    gap = ctx.gap(whole, first)
    if not has_cue(gap, SUBSET_CUES) or ";" in gap:
        return [], False
    parts = [first]
    for c in later[1:]:
        g = ctx.gap(parts[-1], c)
        if unit_class(c.unit) != cls or ";" in g or has_cue(g, SUBSET_CUES) or len(g) > 120:
            break
        parts.append(c)
    return parts, has_cue(gap, PARTITION_CUES)


def part_checks(ctx: ArticleContext) -> list[CheckRow]:
    """``12 quần chúng ưu tú, trong đó 8 hội viên được kết nạp``: a part is not larger
    than its whole; listed parts (``gồm``) add up to it."""
    out: list[CheckRow] = []
    for whole in ctx.claims:
        if whole.measure not in AMOUNTS:
            continue
        parts, partition = _parts_of(ctx, whole)
        if not parts:
            continue
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
    elif partition and lo > w[1] and not _hedged(whole, *parts):
        verdict = INCONSISTENT
    elif partition:
        verdict = CANNOT_TELL
    else:
        return None  # "trong đó" lists some parts, which may overlap: each is checked alone
    terms = " + ".join(fmt_en(p.value) for p in parts)
    terms_vi = " + ".join(fmt_vi(p.value) for p in parts)
    vi = {
        CONSISTENT: f"Các phần cộng lại {terms_vi} = {fmt_vi(total)}, khớp với tổng “{quote(whole)}”.",
        INCONSISTENT: f"Các phần cộng lại {terms_vi} = {fmt_vi(total)}, lớn hơn tổng “{quote(whole)}”.",
        CANNOT_TELL: f"Các phần cộng lại {terms_vi} = {fmt_vi(total)}, khác tổng “{quote(whole)}”; có thể bài không kể hết các phần.",
    }[verdict]
    en = {
        CONSISTENT: f"The parts add up to {terms} = {fmt_en(total)}, matching the total “{quote(whole)}”.",
        INCONSISTENT: f"The parts add up to {terms} = {fmt_en(total)}, more than the total “{quote(whole)}”.",
        CANNOT_TELL: f"The parts add up to {terms} = {fmt_en(total)}, not the total “{quote(whole)}”; the list may be incomplete.",
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


def restatement_checks(ctx: ArticleContext) -> list[CheckRow]:
    """A figure of the title against the body's figure for the same thing."""
    out = []
    for t in ctx.claims:
        if not ctx.in_title(t) or not t.subject:
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
        agree = [b for b in body if overlap(claim_interval(b), claim_interval(t))]
        if agree:
            b = max(agree, key=lambda b: subject_overlap(b.subject, t.subject))
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
