"""Claim attributes read from context: period, organisation, location, speaker.

``annotate(article, sentences, claims)`` fills them in, looking first in the claim's
sentence, then back through its paragraph, then (organisation, location) the article:

* period: the nearest time expression (``nhiệm kỳ 2016 – 2021``, ``từ năm 2017 đến
  nay``, ``hằng năm``, ``6 tháng đầu năm``) before the number in its sentence, else after
  it, else in an earlier sentence of the paragraph;
* speaker: for a number inside a quotation, the person named before the opening quote
  (``bà Hoàng Thị Phương, Chủ tịch …, cho biết: “…”``) or right after the closing one;
  for reported speech, the person before ``cho biết``/``nói`` in the same sentence;
* organisation: the nearest organisation named before the number (``chúng tôi`` in a
  quotation is the speaker's organisation); a form without its place (``Hội LHPN tỉnh``,
  ``các cấp Hội``) is completed from the article's full mention of the same organisation;
* location: the place of that organisation, or a place written in the sentence, or the
  article's main province; ``province_id``/``province_new_id`` from ``pipeline.places``.

>>> from pipeline.claims.attributes import period_in
>>> period_in("Trong nhiệm kỳ 2016 – 2021, chúng tôi giới thiệu 8 hội viên", 49)
'nhiệm kỳ 2016 – 2021'
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.orgs import OrgMatch, find_organisations
from pipeline.places import find_provinces
from pipeline.types import Article, Claim, Sentence

_UP = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_NAME = rf"[{_UP}][\w]*(?:\s+[{_UP}][\w]*){{0,4}}"
_TITLE = (
    r"(?:ông|bà|anh|chị|đồng chí|Ông|Bà|Anh|Chị|Đồng chí|Thủ tướng|Phó Thủ tướng|Bộ trưởng|"
    r"Chủ tịch|Phó Chủ tịch|Bí thư|Phó giáo sư|Giáo sư|Tiến sĩ|PGS\.?\s?TS\.?|GS\.?\s?TS\.?|"
    r"TS\.?|ThS\.?|GS\.?|PGS\.?|Thượng tá|Đại tá|Trung tá)"
)
PERSON = re.compile(rf"(?<!\w){_TITLE}\s+{_NAME}")
_SPEECH = re.compile(
    r"\b(cho biết|nói|khẳng định|chia sẻ|thông tin|phát biểu|nhấn mạnh|cho rằng|báo cáo|"
    r"thông báo|bày tỏ|đánh giá|kể|tâm sự|nhận định)\b"
)
_Y = r"(?:19|20)\d{2}"
_YR = rf"{_Y}\s*[-–]\s*(?:{_Y}|\d{{2}})"
PERIOD = re.compile(
    # every period starts with one of these (a cheap test before the alternatives)
    r"(?=(?i:[nghtbmsđqd]|\d))"
    r"(?i:"
    rf"(?:nhiệm kỳ|giai đoạn|niên khóa|niên khoá|năm học)\s+(?:{_YR}|qua|này|tới|trước)"
    rf"|(?:từ|trong)\s+(?:đầu\s+)?(?:năm\s+|tháng\s+\d{{1,2}}[/.]?)?(?:{_Y}|\d{{1,2}}[/.]\d{{1,2}})?\s*(?:đến|tới)\s+(?:nay|hết\s+)?(?:năm\s+)?(?:{_Y}|tháng\s+\d{{1,2}}(?:[/.]\d{{4}})?)?"
    rf"|từ\s+(?:năm\s+)?{_Y}\s+đến\s+nay|từ\s+đầu\s+năm(?:\s+{_Y})?(?:\s+đến\s+nay)?"
    rf"|\d{{1,2}}\s+tháng\s+(?:đầu|cuối)\s+năm(?:\s+{_Y})?"
    rf"|(?:trong\s+)?(?:\d{{1,2}}|hai|ba|bốn|năm|mười)\s+năm\s+(?:qua|gần đây|trở lại đây)(?:\s*\({_YR}\))?"
    rf"|(?:trong\s+)?(?:năm|thời gian|tháng)\s+qua"
    rf"|sau\s+\d{{1,2}}\s+năm\s+(?:triển khai|thực hiện)"
    rf"|hằng năm|hàng năm|mỗi năm|bình quân mỗi năm"
    rf"|đến hết năm\s+{_Y}|tính đến (?:nay|năm\s+{_Y})|đến nay|hiện nay"
    rf"|quý\s+[IV]+(?:[/.]{_Y})?|(?:đầu\s+)?tháng\s+\d{{1,2}}(?:[/.]{_Y}|\s+năm\s+{_Y})?"
    rf"|(?:năm|Năm)\s+{_Y}|dịp\s+[^,.;]{{3,40}}?{_Y}"
    r")"
)


def period_in(text: str, pos: int) -> str | None:
    """The time expression nearest before ``pos`` in a sentence, else the first after it."""
    before = None
    after = None
    for start, end, found in _periods(text):
        if end <= pos:
            before = found
        elif start >= pos and after is None:
            after = found
    return before or after


@lru_cache(maxsize=256)
def _periods(text: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((m.start(), m.end(), m.group().strip()) for m in PERIOD.finditer(text))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quotations long enough to be speech (at least 6 words).

    >>> quote_spans('Bà nói: “Hiện nay xã có hơn 500 hội viên, 8 chi hội”. Tên "Mái ấm".')
    [(8, 52)]
    """
    out = []
    for m in re.finditer(r"“([^”]{10,3000})”|\"([^\"\n]{10,3000})\"", text):
        inner = m.group(1) or m.group(2) or ""
        if len(inner.split()) >= 6:
            out.append((m.start(), m.end()))
    return out


_NOT_NAME = frozenset(
    [
        "Hội",
        "Ủy",
        "Uỷ",
        "UBND",
        "UBTƯ",
        "Đoàn",
        "LĐLĐ",
        "MTTQ",
        "Công",
        "Tổng",
        "Ban",
        "Sở",
        "Bộ",
        "Quốc",
        "Liên",
        "Viện",
        "Trung",
        "TW",
        "TƯ",
        "Thành",
        "Tỉnh",
        "Huyện",
        "Xã",
        "Phường",
        "Quận",
        "Mặt",
        "Đảng",
        "Chính",
        "Nhà",
        "Trường",
        "Cục",
        "Chi",
        "HĐND",
        "Hiệp",
        "Câu",
    ]
)


def persons(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """Person mentions (title + capitalised name) in ``text[start:end]``; a title followed by
    an organisation (``Chủ tịch Hội LHPN``) is not a person.

    >>> [m.group() for m in persons("bà Hoàng Thị Phương, Chủ tịch Hội LHPN xã cho biết")]
    ['bà Hoàng Thị Phương']
    """
    out = []
    for m in PERSON.finditer(text, start, len(text) if end is None else end):
        name = m.group().split()
        words = [w for w in name[1:] if w[:1].isupper()]
        if any(w in _NOT_NAME or (w.isupper() and len(w) > 1) for w in words[:2]):
            continue
        out.append(m)
    return out


def _speaker_before(text: str, start: int, limit: int = 400) -> tuple[str, int] | None:
    found = persons(text, max(0, start - limit), start)
    return (found[-1].group().strip(), found[-1].end()) if found else None


def _resolve_org(m: OrgMatch, full: list[OrgMatch]) -> str:
    """The written organisation, completed from a full mention when its place is missing
    (the most frequent such mention, then the shortest)."""
    if m.place:
        return m.text
    found = _completion(m.org_id, m.level, full)
    return m.text if found is None else found


def _completion(org_id: str, level: str | None, full: list[OrgMatch]) -> str | None:
    same = [o.text for o in full if o.org_id == org_id and (level is None or o.level == level)]
    if not same:
        return None
    counts = Counter(same)
    return min(counts, key=lambda t: (-counts[t], len(t)))


class _Resolver:
    """:func:`_resolve_org` over the mentions of one article, each completion found once."""

    def __init__(self, full: list[OrgMatch]) -> None:
        self.full = full
        self.done: dict[tuple[str, str | None], str | None] = {}

    def __call__(self, m: OrgMatch) -> str:
        if m.place:
            return m.text
        key = (m.org_id, m.level)
        if key in self.done:
            found = self.done[key]
        else:
            found = self.done[key] = _completion(m.org_id, m.level, self.full)
        return m.text if found is None else found


def annotate(article: Article, sentences: Sequence[Sentence], claims: list[Claim]) -> list[Claim]:
    """Fill period, organisation(+id), location(+province ids) and speaker of each claim."""
    if not claims:
        return claims
    text = article.text
    raw = article.raw_text if len(article.raw_text) == len(text) else text
    orgs = find_organisations(text)
    full = [o for o in orgs if o.place]
    provinces = find_provinces(text, published=article.published)
    main_province = None
    if provinces:
        counts = Counter(p.province_id or p.province_new_id for p in provinces)
        main_id = counts.most_common(1)[0][0]
        main_province = next(
            p for p in provinces if (p.province_id or p.province_new_id) == main_id
        )
    resolve = _Resolver(full)
    main_org = main_org_id = None
    if orgs:
        main_org = Counter(resolve(o) for o in orgs).most_common(1)[0][0]
        main_org_id = next(o.org_id for o in orgs if resolve(o) == main_org)
    org_starts = [o.start for o in orgs]
    first_named: dict[str, OrgMatch] = {}
    for o in orgs:
        first_named.setdefault(o.text, o)
    place_starts = [p.start for p in provinces]
    quotes = quote_spans(text)
    by_start = {s.start: s for s in sentences}
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    out = []
    for c in claims:
        sent = by_start.get(c.sentence_start)
        para = (
            [s for s in by_paragraph[sent.paragraph] if s.start <= sent.start]
            if sent is not None
            else []
        )
        pos = c.start - c.sentence_start
        # period: this sentence, then back through the paragraph
        period = period_in(c.sentence, pos)
        for s in reversed(para[:-1]):
            if period:
                break
            period = period_in(s.text, len(s.text))
        # speaker
        speaker = None
        quote = next((q for q in quotes if q[0] < c.start < q[1]), None)
        if quote is not None:
            sp = _speaker_before(raw, quote[0])
            if sp is not None:
                speaker = sp[0]
            else:
                after = persons(raw, quote[1], quote[1] + 40)
                speaker = after[0].group().strip() if after else None
        else:
            for m in persons(c.sentence, 0, pos):
                if _SPEECH.search(c.sentence, m.end(), min(pos, m.end() + 60)):
                    speaker = m.group().strip()
        # organisation: inside a quote, the speaker's; else nearest before in sentence/paragraph
        org: OrgMatch | None = None
        if quote is not None:
            cands = [o for o in orgs if o.end <= quote[0] and o.start >= quote[0] - 400]
            org = cands[-1] if cands else None
        if org is None:
            lo = para[0].start if para else c.sentence_start
            # the last organisation that starts in [lo, c.start) (orgs are in text order)
            k = bisect_left(org_starts, c.start) - 1
            org = orgs[k] if k >= 0 and org_starts[k] >= lo else None
        organisation = resolve(org) if org else main_org
        org_id = org.org_id if org else main_org_id
        # location
        location = None
        province = None
        if org is not None:
            resolved = first_named.get(organisation, org) if organisation is not None else org
            if resolved.place:
                location = resolved.place
                found = find_provinces(resolved.place, published=article.published)
                province = found[0] if found else None
        in_sentence = provinces[
            bisect_left(place_starts, c.sentence_start) : bisect_left(place_starts, c.sentence_end)
        ]
        if location is None and in_sentence:
            province = min(in_sentence, key=lambda p: abs(p.start - c.start))
            location = province.text
        if province is None:
            province = main_province
        if location is None and province is not None:
            location = province.text
        elif (
            location is not None
            and province is not None
            and province.text not in location
            and not find_provinces(location)
        ):
            location = f"{location}, {province.text}"
        out.append(
            replace(
                c,
                period=period,
                organisation=organisation,
                organisation_id=org_id,
                location=location,
                province_id=province.province_id if province else None,
                province_new_id=province.province_new_id if province else None,
                speaker=speaker,
            )
        )
    return out
