"""A target against what was achieved (``vượt 3% chỉ tiêu``, ``đã vượt chỉ tiêu``).

A check starts from an achieved figure that the article itself compares with a target:
a stated excess right after it (``5.015 … (vượt 3% chỉ tiêu …)``), a stated share of the
plan (``đạt 105% kế hoạch``), or a plain ``vượt/đạt/chưa đạt chỉ tiêu`` just before it.
The target is a claim of the same article with status ``target``, the same organisation,
unit and a compatible subject; its period must be the achievement's, or a per-year target
multiplied over a period whose length the article gives (the assumption is stated).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.checks.context import ArticleContext, has_cue
from pipeline.checks.model import CheckRow, make_check
from pipeline.checks.numbers import (
    CANNOT_TELL,
    CONSISTENT,
    INCONSISTENT,
    VERDICT_EN,
    VERDICT_VI,
    fmt_en,
    fmt_vi,
    interval,
    overlap,
    written_step,
)
from pipeline.checks.text import (
    Period,
    parse_period,
    resolve_past_term,
    same_org,
    same_period,
    subject_overlap,
    unit_class,
)
from pipeline.types import Claim

PLAN_WORDS = ("chi tieu", "ke hoach", "muc tieu", "nghi quyet")
DIRECTION_CUES = {
    "over": ("vuot chi tieu", "vuot ke hoach", "vuot muc tieu"),
    "under": ("chua dat chi tieu", "khong dat chi tieu", "chua hoan thanh chi tieu"),
    "met": ("hoan thanh chi tieu", "dat chi tieu", "hoan thanh ke hoach", "dat ke hoach"),
}
AMOUNTS = ("count", "money", "quantity")


@dataclass(frozen=True, slots=True)
class Total:
    """A target made comparable with an achievement: ``lo``..``hi`` over its period."""

    target: Claim
    lo: float
    hi: float
    assumption_en: str | None = None
    assumption_vi: str | None = None


def _period_text(p: Period) -> str:
    return f"{p.first} – {p.last}"


def target_total(ctx: ArticleContext, t: Claim, a: Claim) -> Total | None:
    """The target ``t`` over the period of achievement ``a``, or None when the periods
    cannot be matched."""
    lo, hi = t.value, t.value_max if t.value_max is not None else t.value
    if t.period and same_period(t.period, a.period):
        return Total(t, lo, hi)
    if not t.period and not a.period:
        near = ctx.paragraph(t) is not None and ctx.paragraph(t) == ctx.paragraph(a)
        return Total(t, lo, hi) if near or ctx.same_sentence(t, a) else None
    pt = parse_period(t.period)
    if pt is None or not pt.per_year:
        return None
    pa = parse_period(a.period)
    meta = ctx.meta
    if (pa is None or pa.years is None) and meta is not None:
        pa = resolve_past_term(a.period, meta.text, meta.published)
    if pa is None or pa.years is None or pa.per_year:
        return None
    n = pa.years
    if pa.how == "past_term":
        en = (
            f"“{a.period}” taken as the term {_period_text(pa)} that the article names "
            f"(published {meta.published if meta else '?'}): {n} years"
        )
        vi = f"“{a.period}” được hiểu là nhiệm kỳ {_period_text(pa)} mà bài viết nêu: {n} năm"
    else:
        en = f"“{a.period}” lasts {n} years"
        vi = f"“{a.period}” kéo dài {n} năm"
    en += f"; the target is per year: {n} × {fmt_en(lo)} = {fmt_en(n * lo)}"
    vi += f"; chỉ tiêu tính theo năm: {n} × {fmt_vi(lo)} = {fmt_vi(n * lo)}"
    return Total(t, n * lo, n * hi, en, vi)


def _targets_for(ctx: ArticleContext, a: Claim) -> list[Total]:
    out = []
    for t in ctx.claims:
        if t.status != "target" or t.measure != a.measure or t.qualifier == "exceeding":
            continue
        if unit_class(t.unit) is None or unit_class(t.unit) != unit_class(a.unit):
            continue
        if subject_overlap(t.subject, a.subject) < 0.5:
            continue
        org = same_org(t.organisation, a.organisation)
        if org is False or (org is None and ctx.paragraph(t) != ctx.paragraph(a)):
            continue
        total = target_total(ctx, t, a)
        if total is not None and total.lo > 0:
            out.append(total)
    return out


def _since_previous(ctx: ArticleContext, a: Claim) -> str:
    text = ctx.before(a, 100)
    for c in ctx.claims:
        if c.end <= a.start and ctx.same_sentence(c, a) and a.start - c.end < len(text):
            text = ctx.gap(c, a)
    return text


def target_checks(ctx: ArticleContext) -> list[CheckRow]:
    out = []
    for a in ctx.claims:
        if a.status != "reported" or a.measure not in AMOUNTS:
            continue
        nxt = [c for c in ctx.claims if c.start >= a.end and ctx.adjacent(a, c, 60)]
        excess = [
            c
            for c in nxt
            if c.measure == "percent"
            and c.qualifier == "exceeding"
            and has_cue(ctx.after(c, 40) + " " + (c.subject or ""), PLAN_WORDS)
        ]
        share = [
            c
            for c in nxt
            if c.measure == "percent"
            and c.qualifier != "exceeding"
            and has_cue(ctx.gap(a, c), ("dat", "bang"))
            and has_cue(ctx.after(c, 25), PLAN_WORDS)
        ]
        before = _since_previous(ctx, a)
        direction = next((d for d, cues in DIRECTION_CUES.items() if has_cue(before, cues)), None)
        if not (excess or share or direction):
            continue
        totals = _targets_for(ctx, a)
        if not totals:
            continue
        best = max(subject_overlap(t.target.subject, a.subject) for t in totals)
        totals = [t for t in totals if subject_overlap(t.target.subject, a.subject) == best]
        ambiguous = len({(t.lo, t.hi) for t in totals}) > 1
        total = totals[0]
        if excess:
            out.append(_excess_row(a, excess[0], total, ambiguous))
        elif share:
            out.append(_share_row(a, share[0], total, ambiguous))
        elif direction:
            out.append(_direction_row(a, direction, total, ambiguous))
    return out


def _finish(
    verdict: str, a: Claim, total: Total, ambiguous: bool, hedged: bool
) -> tuple[str, str, str]:
    """Adjust the verdict for hedges and ambiguity; the common tail of the explanations."""
    if verdict == INCONSISTENT and hedged:
        verdict = CANNOT_TELL
    if ambiguous:
        verdict = CANNOT_TELL
    tail_en = " Several targets of the article could apply." if ambiguous else ""
    tail_vi = " Bài viết có nhiều chỉ tiêu có thể áp dụng." if ambiguous else ""
    return verdict, tail_en, tail_vi


def _target_words(total: Total) -> tuple[str, str]:
    t = total.target
    q = " ".join(t.text.split())
    per = f", {t.period}" if t.period else ""
    en = f"Target “{q}”{per}."
    vi = f"Chỉ tiêu “{q}”{per}."
    if total.assumption_en:
        en += f" Assumption: {total.assumption_en}."
        vi += f" Giả định: {total.assumption_vi}."
    return en, vi


def _bounds(total: Total) -> tuple[str, str]:
    if total.lo == total.hi:
        return fmt_en(total.lo), fmt_vi(total.lo)
    return f"{fmt_en(total.lo)}–{fmt_en(total.hi)}", f"{fmt_vi(total.lo)}–{fmt_vi(total.hi)}"


def _hedged(*cs: Claim) -> bool:
    return any(c.qualifier not in ("exact", "exceeding") for c in cs)


def _excess_row(a: Claim, e: Claim, total: Total, ambiguous: bool) -> CheckRow:
    lo_ex = 100 * (a.value - total.hi) / total.hi
    hi_ex = 100 * (a.value - total.lo) / total.lo
    step = written_step(e.text, e.value)
    if overlap((lo_ex, hi_ex), interval(e.value, "exact", step)):
        verdict = CONSISTENT
    elif overlap((lo_ex, hi_ex), interval(e.value, "exact", step, loose=True)):
        verdict = CANNOT_TELL
    else:
        verdict = INCONSISTENT
    verdict, tail_en, tail_vi = _finish(verdict, a, total, ambiguous, _hedged(a, total.target))
    implied = a.value / (1 + e.value / 100)
    said = " ".join(e.text.split())
    t_en, t_vi = _target_words(total)
    b_en, b_vi = _bounds(total)
    ex_en = fmt_en(lo_ex, 1) if lo_ex == hi_ex else f"{fmt_en(lo_ex)}–{fmt_en(hi_ex)}"
    ex_vi = fmt_vi(lo_ex, 1) if lo_ex == hi_ex else f"{fmt_vi(lo_ex)}–{fmt_vi(hi_ex)}"
    en = (
        f"{t_en} Achieved {fmt_en(a.value)} against {b_en}: {ex_en}% over; the article says "
        f"“{said}”. A {fmt_en(e.value)}% excess means a target of about {fmt_en(implied, 0)} "
        f"({fmt_en(a.value)} / {fmt_en(1 + e.value / 100, 2)}). {VERDICT_EN[verdict]}." + tail_en
    )
    vi = (
        f"{t_vi} Đạt {fmt_vi(a.value)} so với {b_vi}: vượt {ex_vi}%; bài viết ghi “{said}”. "
        f"Nếu vượt {fmt_vi(e.value)}% thì chỉ tiêu phải khoảng {fmt_vi(implied, 0)} "
        f"({fmt_vi(a.value)} / {fmt_vi(1 + e.value / 100, 2)}). {VERDICT_VI[verdict].capitalize()}."
        + tail_vi
    )
    return make_check(
        "target_vs_achieved",
        verdict,
        [(total.target.id, "target"), (a.id, "achieved"), (e.id, "stated_excess")],
        said,
        f"({fmt_en(a.value)} − {b_en}) / {b_en} = {ex_en}%",
        vi,
        en,
        stated_value=e.value,
        computed_value=round(lo_ex, 4),
        assumption=total.assumption_en,
    )


def _share_row(a: Claim, p: Claim, total: Total, ambiguous: bool) -> CheckRow:
    lo_sh, hi_sh = 100 * a.value / total.hi, 100 * a.value / total.lo
    step = written_step(p.text, p.value)
    if overlap((lo_sh, hi_sh), interval(p.value, p.qualifier, step, p.value_max)):
        verdict = CONSISTENT
    elif overlap((lo_sh, hi_sh), interval(p.value, p.qualifier, step, p.value_max, loose=True)):
        verdict = CANNOT_TELL
    else:
        verdict = INCONSISTENT
    verdict, tail_en, tail_vi = _finish(verdict, a, total, ambiguous, _hedged(a, total.target))
    said = " ".join(p.text.split())
    t_en, t_vi = _target_words(total)
    b_en, b_vi = _bounds(total)
    en = (
        f"{t_en} Achieved {fmt_en(a.value)} / {b_en} = {fmt_en(lo_sh)}% of the target; the "
        f"article says “{said}”. {VERDICT_EN[verdict]}." + tail_en
    )
    vi = (
        f"{t_vi} Đạt {fmt_vi(a.value)} / {b_vi} = {fmt_vi(lo_sh)}% chỉ tiêu; bài viết ghi "
        f"“{said}”. {VERDICT_VI[verdict].capitalize()}." + tail_vi
    )
    return make_check(
        "target_vs_achieved",
        verdict,
        [(total.target.id, "target"), (a.id, "achieved"), (p.id, "stated_share")],
        said,
        f"{fmt_en(a.value)} / {b_en} = {fmt_en(lo_sh)}%",
        vi,
        en,
        stated_value=p.value,
        computed_value=round(lo_sh, 4),
        assumption=total.assumption_en,
    )


def _direction_row(a: Claim, direction: str, total: Total, ambiguous: bool) -> CheckRow:
    lo, hi = interval(a.value, a.qualifier, written_step(a.text, a.value), a.value_max)
    if direction == "over":
        verdict = CONSISTENT if lo > total.hi else INCONSISTENT if hi <= total.lo else CANNOT_TELL
        said_en, said_vi = "the target was exceeded", "vượt chỉ tiêu"
    elif direction == "met":
        verdict = CONSISTENT if lo >= total.lo else INCONSISTENT if hi < total.lo else CANNOT_TELL
        said_en, said_vi = "the target was met", "đạt chỉ tiêu"
    else:
        verdict = CONSISTENT if hi < total.lo else INCONSISTENT if lo >= total.hi else CANNOT_TELL
        said_en, said_vi = "the target was not met", "chưa đạt chỉ tiêu"
    verdict, tail_en, tail_vi = _finish(verdict, a, total, ambiguous, False)
    t_en, t_vi = _target_words(total)
    b_en, b_vi = _bounds(total)
    pct_en = fmt_en(100 * a.value / total.hi) if total.hi else "?"
    pct_vi = fmt_vi(100 * a.value / total.hi) if total.hi else "?"
    q = " ".join(a.text.split())
    en = (
        f"{t_en} Achieved “{q}” against {b_en} ({pct_en}% of {fmt_en(total.hi)}); the article "
        f"says {said_en}. {VERDICT_EN[verdict]}." + tail_en
    )
    vi = (
        f"{t_vi} Đạt “{q}” so với {b_vi} ({pct_vi}% của {fmt_vi(total.hi)}); bài viết nói "
        f"{said_vi}. {VERDICT_VI[verdict].capitalize()}." + tail_vi
    )
    return make_check(
        "target_vs_achieved",
        verdict,
        [(total.target.id, "target"), (a.id, "achieved")],
        said_vi,
        f"{fmt_en(a.value)} vs {b_en}",
        vi,
        en,
        stated_value=total.hi,
        computed_value=a.value,
        assumption=total.assumption_en,
    )
