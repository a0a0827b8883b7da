"""The numeric claim finder: which numbers of an article are claims, and what they count.

``find_claims(article, sentences)`` scans each sentence with the number scanner
(``pipeline.claims.numbers``) and keeps the numbers that state how many, how much, what
share or what target (shared/docs/claims.md). A number is dropped when:

* its shape is a date, year, time, phone number, code or Roman numeral;
* it is ``một`` written as a word ("a", "one of");
* it is glued to letters (``Covid-19``, ``1A``) or to an identifier tail (``05-CT/TW``);
* the word right before it makes it a name, an identifier, an address or a rank
  (``Đề án 938``, ``lần thứ 3``, ``quận 10``, ``tháng 5``: ``cues.yaml`` identifier_words);
* it is vague or a back-reference (``hàng nghìn``, ``cả hai``, ``hai tổ chức này``);
* nothing countable follows it: no counting noun, unit, currency or ``%`` (a word such as
  ``và``, ``không``, ``sạch`` right after it makes it part of a name: ``5 không 3 sạch``);
* a time word follows it (a date, period or duration that only sets the time), unless the
  duration is itself the statistic (``thêm 6 tháng``);
* ``tuổi`` follows it and no age statistic word (``trung bình``, ``trẻ nhất``) is near.

Everything else is a claim; ``attributes.annotate`` adds period, organisation, location
and speaker.

>>> from pipeline.claims.finder import claims_in_text
>>> [(c.value, c.measure, c.qualifier, c.unit) for c in claims_in_text(
...     "Năm 2017, Hội có hơn 3.400 hội viên, chiếm 43%, trong 5 năm qua.")]
[(3400.0, 'count', 'more_than', 'hội viên'), (43.0, 'percent', 'exact', '%')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from pipeline.claims.numbers import NumberSpan, scan_numbers
from pipeline.claims.rules import (
    at_least_after,
    clause_start,
    cues,
    phrase_before,
    qualifier_before,
    status_at,
)
from pipeline.claims.subject import subject_of
from pipeline.claims.units import UnitMatch, unit_after, words_after
from pipeline.types import Article, Claim, Sentence

NON_CLAIM_SHAPES = frozenset(
    {"date", "year", "time", "phone", "code", "roman", "ordinal", "period", "version", "id"}
)
_SCALE_MONEY = frozenset({"triệu", "tỷ", "tỉ", "nghìn tỷ", "nghìn tỉ", "ngàn tỷ"})
_ID_TAIL = frozenset("/-_.")
_FROM = frozenset({"từ"})
_BETWEEN = frozenset({"giữa"})
# A sentence can hold a claim only with a digit or a number word other than "một"/"năm"
# (alone they are "a" and "year"); others are not scanned at all.
_MAY_COUNT = re.compile(
    r"\d|(?<!\w)(?i:hai|ba|bốn|tư|sáu|bảy|bẩy|tám|chín|mười|mươi|lăm|trăm|nghìn|ngàn|vạn|"
    r"triệu|tỷ|tỉ|chục|rưỡi|nửa)(?!\w)"
)


@dataclass(frozen=True, slots=True)
class Found:
    """A number judged to be a claim; offsets are into the sentence."""

    number: NumberSpan
    measure: str
    qualifier: str
    status: str
    unit: str | None
    start: int  # of the claim text (qualifier included)
    end: int  # of the claim text (unit included)
    unit_start: int | None


def lower_same_length(text: str) -> str:
    """``text.lower()``, one character for one (a few letters grow when lower-cased).

    >>> lower_same_length("İĐ Hà")
    'İđ hà'
    """
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c[0] for c in text)


# a name or code with a capital letter, a space, then a hyphen glued to the number
_CODE_DASH = re.compile(r"(?<!\w)\w*[A-ZĐ]\w*[^\S\n]+-$")


def _glued(text: str, n: NumberSpan, unit: UnitMatch | None) -> bool:
    """Digits glued to letters or to an identifier tail: Covid-19, 1A, 05-CT/TW, 1258/QĐ;
    also a model or code written with a loose hyphen: ``F -16``, ``Tu -95 MS``, ``Covid -19``
    (the hyphen touches the number, a word with a capital letter comes before it).

    >>> t = "F -16 Pakistan, MiG -21 bis, từ 10 -15 người, giảm -5 độ"
    >>> [s.text for s in scan_numbers(t) if _glued(t, s, None)]
    ['16', '21']
    """
    if n.start > 0:
        prev = text[n.start - 1]
        if prev.isalpha() or prev in "#@_":
            return True
        if prev in "-/" and n.start > 1 and text[n.start - 2].isalnum():
            return True
        if prev == "-" and _CODE_DASH.search(text, max(0, n.start - 30), n.start):
            return True
    if n.end < len(text):
        nxt = text[n.end]
        if nxt.isalpha():
            return unit is None or unit.kind not in ("quantity", "money", "percent")
        if nxt in _ID_TAIL and n.end + 1 < len(text) and text[n.end + 1].isalnum():
            return True
    return False


# "20 x 30 cm", "1.080 x 2.400 pixel", "5m x 1,5m", "2 x 4 GB": numbers multiplied together
# (a unit between the number and the sign is a word of its own: "14 UX435" is a model name)
_TIMES_AFTER = re.compile(r"[^\S\n]*(?:(?:[^\W\d_]{1,4}|%)[^\S\n]+)?[x×X][^\S\n]*\d")
_TIMES_BEFORE = re.compile(r"\d(?:(?:[^\W\d_]{1,4}|%)[^\S\n]+|[^\S\n]*)[x×X][^\S\n]*$")


def _factor(text: str, n: NumberSpan) -> bool:
    """A factor of a product (``20 x 30 cm``, ``1.080 x 2.400 pixel``, ``2 x 4 GB``): the
    numbers give the size, resolution or make-up of one thing, not how many or how much
    (no single number of them is the measure, and the product is not written).

    >>> t = "tấm nền 1.080 x 2.400 pixel, nặng 5 kg, cửa 5m x 1,5m, máy 14 UX435"
    >>> [s.text for s in scan_numbers(t) if _factor(t, s)]
    ['1.080', '2.400', '5', '1,5']
    """
    if _TIMES_AFTER.match(text, n.end):
        return True
    return _TIMES_BEFORE.search(text, max(0, n.start - 12), n.start) is not None


def _is_one_as_article(n: NumberSpan) -> bool:
    return n.written == "words" and n.value == 1 and n.value_max is None and n.denominator is None


def _near(low: str, pos: int, phrases: frozenset[str], width: int = 60) -> bool:
    start = max(clause_start(low, pos), pos - width)
    window = " " + " ".join(low[start:pos].replace(",", " ").split()) + " "
    return any(f" {p} " in window for p in phrases)


def judge(
    text: str, low: str, n: NumberSpan, word_end: Callable[[int], int | None] | None = None
) -> Found | None:
    """Whether the number ``n`` of a sentence is a claim, and its measure, qualifier,
    status and unit.

    >>> from pipeline.claims.numbers import scan_numbers
    >>> t = "Đề án 938 hỗ trợ 8 – 10 quần chúng, 5 không 3 sạch"
    >>> [(f.number.value, f.number.value_max, f.unit) for n in scan_numbers(t)
    ...  if (f := judge(t, lower_same_length(t), n))]
    [(8.0, 10.0, 'quần chúng')]
    """
    c = cues()
    if _is_one_as_article(n) or (n.shape in NON_CLAIM_SHAPES and not _may_be_ratio(n)):
        return None  # whatever follows it (the unit is read only for the others)
    unit = unit_after(text, n.end, word_end, large=n.scale is not None or n.value >= 1000)
    if _ratio_not_date(low, n, unit):
        n = replace(n, shape="ratio")
    if n.shape in NON_CLAIM_SHAPES or _is_one_as_article(n):
        return None
    if _glued(text, n, unit) or _factor(text, n):
        return None
    ident = phrase_before(low, n.start, c.identifier)
    if ident is not None:
        neutral = phrase_before(low, n.start, c.neutral)
        if neutral is None or neutral[1] > ident[1]:
            return None
    q = qualifier_before(low, n.start)
    qualifier, start = (q[0], q[1]) if q else ("exact", n.start)
    if phrase_before(low, start, c.vague) or phrase_before(low, start, c.backref_before):
        return None
    end = n.end
    unit_name: str | None = None
    unit_start: int | None = None
    if n.percent or (unit is not None and unit.kind == "percent"):
        measure = "percent"
        unit_name = "%"
        if unit is not None and unit.kind == "percent":
            end = unit.end
    elif unit is None or unit.kind == "none":
        if _near(low, n.start, c.bare_statistic_before) and _near(low, n.start, c.age_statistic):
            measure, unit_name = "quantity", "tuổi"
        elif n.scale in _SCALE_MONEY and n.denominator is None:
            measure, unit_name = "money", "đồng"
        else:
            return None
    elif unit.kind == "time":
        if not phrase_before(low, start, c.duration_statistic):
            return None
        measure, unit_name, end, unit_start = "quantity", unit.unit, unit.end, unit.start
    elif unit.kind == "age":
        if not _near(low, n.start, c.age_statistic):
            return None
        measure, unit_name, end, unit_start = "quantity", "tuổi", unit.end, unit.start
    else:
        measure, unit_name, end, unit_start = unit.kind, unit.unit, unit.end, unit.start
        if measure == "count" and (
            _back_reference(text, low, n, unit)
            or _in_name(text, n, unit, q is None)
            or _kind_of(low, start, unit)
        ):
            return None
    if n.denominator is not None and measure in ("count", "percent") and not n.percent:
        measure = "ratio"
    if phrase_before(low, n.start, _FROM) and n.value_max is None:
        tail = at_least_after(low, end)
        if tail is not None:
            qualifier, start = "at_least", phrase_before(low, n.start, _FROM)[1]  # type: ignore[index]
            end = max(end, tail)
    if unit_name and unit_name.startswith(("“", '"')):
        unit_name = unit_name.strip("“”\"' ")
    return Found(n, measure, qualifier, status_at(low, n.start), unit_name, start, end, unit_start)


def _may_be_ratio(n: NumberSpan) -> bool:
    """A day/month shape that :func:`_ratio_not_date` may read as a ratio."""
    return n.shape == "date" and n.denominator is not None and n.text.count("/") == 1


def _ratio_not_date(low: str, n: NumberSpan, unit: UnitMatch | None) -> bool:
    """``3/11 chỉ tiêu``: a day/month shape that counts something is a ratio."""
    return (
        _may_be_ratio(n)
        and unit is not None
        and unit.kind == "count"
        and phrase_before(low, n.start, cues().date_words) is None
    )


def _back_reference(text: str, low: str, n: NumberSpan, unit: UnitMatch) -> bool:
    """``hai tổ chức này``: a small number whose noun is followed by a pointing word."""
    if n.value > 10 or n.value_max is not None:
        return False
    if n.value <= 3 and low[unit.start : unit.end] in cues().backref_units:
        return True
    if n.value <= 3 and phrase_before(low, n.start, _BETWEEN):
        return True  # "giữa hai đơn vị": the parties of a relation, already in view
    if n.value == 1 and phrase_before(low, n.start, cues().one_as_article_before):
        return True
    after = [low[s:e] for s, e in words_after(low, unit.start, 4)]
    for i, w in enumerate(after[1:], 1):
        if not w[0].isalnum():
            break
        if w in cues().backref_after and i <= 3:
            return True
    return n.value >= 2 and _names_listed(text, unit.end) == n.value


_JOINERS = frozenset({"và", ",", "-", "–", "—", "/"})
# A number and its unit right after these nouns say what kind the thing is ("ô tô 7 chỗ",
# "khách sạn 5 sao"), not how many there are.
_KIND_OF = {
    "chỗ": frozenset({"xe", "ô tô", "xe ô tô", "xe khách", "taxi", "xe buýt"}),
    "sao": frozenset({"khách sạn", "resort", "nhà hàng"}),
}


def _kind_of(low: str, start: int, unit: UnitMatch) -> bool:
    """``ô tô 7 chỗ``: the number and unit classify the noun before them."""
    nouns = _KIND_OF.get(low[unit.start : unit.end])
    return nouns is not None and phrase_before(low, start, nouns) is not None


def _in_name(text: str, n: NumberSpan, unit: UnitMatch, bare: bool) -> bool:
    """A bare number between two capitalised words is part of a name: ``iPhone 12 Pro``,
    ``Boeing 737 MAX``, ``Vùng 2 Hải quân`` (a counting word is not capitalised there; the
    first word of a sentence is capitalised anyway: "Giành 4 HCV")."""
    if not bare or not text[unit.start].isupper():
        return False
    prev = _WORD_BEFORE.search(text, max(0, n.start - 30), n.start)
    return prev is not None and any(c.isupper() for c in prev.group(2))


# the word before a number, and what comes before that word (it must not open the sentence)
_WORD_BEFORE = re.compile(r"(\w[^\S\n]*|[,;])[^\S\n]*([^\W\d_][\w.]*)[^\S\n]+$")


def _names_listed(text: str, pos: int) -> int:
    """How many names are listed right at ``pos``, joined by ``và``, commas or dashes:
    ``Quảng Hưng và Cảnh Dương`` → 2, ``Việt - Nga`` → 2, ``Bắc, Trung, Nam`` → 3, 0 when
    no name starts there (a count that only names the things it counts is no statistic).

    >>> _names_listed(" Quảng Hưng và Cảnh Dương đã về đích", 0)
    2
    >>> _names_listed(" Bắc, Trung, Nam", 0), _names_listed(" Hà Nội tham gia", 0)
    (3, 1)
    >>> _names_listed(" thanh niên và Hà Nội", 0), _names_listed(" THPT và Trung tâm", 0)
    (0, 0)
    """
    names, in_name, joined = 0, False, True
    for s, e in words_after(text, pos, 12):
        w = text[s:e]
        if w[0].isupper() and w[0].isalpha() and not (len(w) > 1 and w.isupper()):
            if not in_name:
                if not joined:
                    break
                names, in_name, joined = names + 1, True, False
        elif w.lower() in _JOINERS and in_name:
            in_name, joined = False, True
        else:
            break
    return names


def claims_in_sentence(
    article_id: str,
    sentence: Sentence,
    raw: str | None = None,
    word_end: Callable[[int], int | None] | None = None,
) -> list[Claim]:
    """The claims of one sentence (offsets into the article text). ``word_end(start)``
    gives the end of the word at a sentence offset when a tokenizer already segmented it."""
    text = sentence.text
    if not _MAY_COUNT.search(text):
        return []
    raw_sentence = raw if raw is not None and len(raw) == len(text) else text
    low = lower_same_length(text)
    found: list[Found] = []
    for n in scan_numbers(text):
        try:
            f = judge(text, low, n, word_end)
        except (ValueError, IndexError):  # pragma: no cover - a rule must never crash a run
            f = None
        if f is not None:
            found.append(f)
    out: list[Claim] = []
    for i, f in enumerate(found):
        prev = found[i - 1] if i else None
        prev_subject = (
            out[-1].subject if prev is not None and prev.measure in ("count", "ratio") else None
        )
        subject = subject_of(text, low, f, found[:i], found[i + 1 :], prev_subject)
        base = sentence.start
        out.append(
            Claim(
                article_id=article_id,
                sentence=raw_sentence,
                text=raw_sentence[f.start : f.end],
                start=base + f.start,
                end=base + f.end,
                value=float(f.number.value),
                measure=f.measure,
                status=f.status,
                qualifier=f.qualifier,
                value_max=f.number.value_max,
                denominator=f.number.denominator,
                unit=f.unit,
                subject=subject,
                sentence_start=sentence.start,
                sentence_end=sentence.end,
            )
        )
    return out


def find_claims(
    article: Article,
    sentences: Sequence[Sentence],
    word_end: Callable[[int], int | None] | None = None,
) -> list[Claim]:
    """Every numeric claim of an article, in text order, with all attributes.

    ``word_end(start)``: optional end of the word that starts at an offset of
    ``article.text``, from a tokenizer that already ran (the spaCy component passes its
    tokens); without it, unknown counting words are segmented with underthesea on a short
    window.
    """
    from pipeline.claims.attributes import annotate

    claims: list[Claim] = []
    for s in sentences:
        raw = article.raw_text[s.start : s.end] if article.raw_text else None
        local = None
        if word_end is not None:
            local = _shifted(word_end, s.start)
        claims.extend(claims_in_sentence(article.id, s, raw, local))
    return annotate(article, sentences, claims)


def _shifted(word_end: Callable[[int], int | None], base: int) -> Callable[[int], int | None]:
    def local(pos: int) -> int | None:
        end = word_end(base + pos)
        return None if end is None else end - base

    return local


def claims_in_text(text: str, article_id: str = "-") -> list[Claim]:
    """The claims of a bare text, taken as one sentence (for quick checks and doctests)."""
    return claims_in_sentence(article_id, Sentence(article_id, 0, 0, 0, len(text), text))
