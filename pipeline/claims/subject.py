"""The subject of a claim: what is counted, in the sentence's own words, as short as it can
be while still saying what is counted.

For a count it is the counting noun and what qualifies it, up to the end of the phrase
(a comma, a bracket, the next number, or a word that starts a new clause such as
``chiếm``, ``với``, ``trong đó``). For a percentage it is what follows ``%`` (without
``tổng số``), else the phrase before the number, else the subject of the count before it
in the sentence. For money it is the value word before the number (``tổng trị giá``,
``kinh phí``) completed by the thing it prices, or what follows the currency.

>>> from pipeline.claims.finder import claims_in_text
>>> [c.subject for c in claims_in_text(
...     "Đã tổ chức trên 25 nghìn cuộc tuyên truyền, thu hút trên 1,1 triệu lượt hội viên tham gia.")]
['cuộc tuyên truyền', 'lượt hội viên tham gia']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pipeline.claims.rules import phrase_before, tokens

if TYPE_CHECKING:
    from pipeline.claims.finder import Found

MAX_WORDS = 20
LEFT_VERB_WORDS = 4
_BOUNDARY = re.compile(r"[,;.:!?()\[\]“”\"…\n]|\s[-–]\s|\s\+\s")
_STOP = (
    "chiếm",
    "trong đó",
    "với tổng",
    "tổng trị giá",
    "trị giá",
    "với",
    "tăng",
    "giảm",
    "so với",
    "nhưng",
    "thì",
    "nhằm",
    "góp phần",
    "tổng số tiền",
    "tổng kinh phí",
    "kinh phí",
    "bao gồm",
    "gồm",
    "đạt",
    "và các",
    "cùng",
    "tại",
    "để",
    "là những",
    "là các",
    "đã trở thành",
)
_TRAIL_DROP = (
    "từ",
    "ở",
    "tại",
    "để",
    "trong",
    "như",
    "năm",
    "đến",
    "và",
    "hoặc",
    "cùng",
    "với",
    "cho",
    "của",
    "là",
    "thuộc",
    "chia làm",
    "gồm",
)
_LEAD_DROP = ("trong tổng số", "tổng số", "số", "các", "những", "của", "trên tổng số", "trong số")
_LEFT_DROP_START = ("với", "và", "cùng", "tổng cộng", "trong đó", "đã", "được", "có")
_LEFT_DROP_END = (
    "là",
    "đạt",
    "chiếm",
    "chiếm tới",
    "đạt tới",
    "đạt được",
    "còn",
    "lên",
    "lên tới",
    "lên đến",
    "khoảng",
    "được",
    "có",
    "với",
    "tới",
    "đến",
    "ở mức",
    "bằng",
    "hơn",
    "trên",
    "gần",
    "vượt",
    "tăng",
    "giảm",
    "tăng thêm",
    "thêm",
    "mức",
)
_VALUE_WORDS = (
    "trị giá",
    "tổng trị giá",
    "giá trị",
    "kinh phí",
    "số tiền",
    "tổng số tiền",
    "tiền",
    "tổng kinh phí",
    "tỷ lệ",
    "tỉ lệ",
    "chi phí",
    "nguồn vốn",
    "vốn",
)


def _stop_at(low: str, start: int, stop: int, text: str | None = None) -> int:
    """End of the phrase starting at ``start``: the first boundary, stop word or word limit."""
    m = _BOUNDARY.search(low, start, stop)
    end = m.start() if m else stop
    toks = tokens(low, start, end)
    for i, (a, b) in enumerate(toks):
        if i == 0:
            continue
        if i >= MAX_WORDS:
            return toks[i - 1][1]
        for w in _STOP:
            if low.startswith(w, a) and (a + len(w) == len(low) or not low[a + len(w)].isalnum()):
                return toks[i - 1][1]
        # "... và LĐLĐ Đồng Tháp tặng": a capitalised word after "và" starts a new clause
        if (
            text is not None
            and low[a:b] == "và"
            and i + 1 < len(toks)
            and text[toks[i + 1][0]].isupper()
        ):
            return toks[i - 1][1]
    return toks[-1][1] if toks else start


_CONTINUE_BLOCK = (
    "thu hút",
    "chiếm",
    "trong đó",
    "góp phần",
    "đồng thời",
    "qua đó",
    "nâng",
    "tăng",
    "giảm",
    "đạt",
    "với",
    "trị giá",
    "tổng",
    "nhằm",
    "giúp",
    "để",
    "đây",
    "này",
    "nhưng",
    "song",
    "còn",
    "ngoài ra",
    "bên cạnh",
    "riêng",
    "theo",
    "trong",
    "sau",
    "trước",
    "từ",
    "đến",
    "năm",
    "tháng",
    "ngày",
    "hiện",
    "đã",
    "sẽ",
    "đang",
    "và",
    "cùng",
    "mỗi",
    "bình quân",
    "trung bình",
)


_CLAUSE_WORDS = frozenset({"đã", "sẽ", "đang", "chúng", "tôi", "là", "thì", "nhưng", "vì"})


def _phrase_end(low: str, start: int, stop: int, text: str | None = None) -> int:
    """End of the noun phrase from ``start``: :func:`_stop_at`, continued over a comma when
    what follows is more of the same list (no number, no new clause)."""
    end = _stop_at(low, start, stop, text)
    while True:
        nxt = end
        while nxt < stop and low[nxt] == " ":
            nxt += 1
        if nxt >= stop or low[nxt] != ",":
            return end
        seg_start = nxt + 1
        m = _BOUNDARY.search(low, seg_start, stop)
        seg_end = m.start() if m else stop
        if m is None and stop < len(low):
            return end  # the next item leads into another figure: a new clause
        seg = low[seg_start:seg_end].strip()
        if not seg or any(ch.isdigit() for ch in seg) or seg.startswith(_CONTINUE_BLOCK):
            return end
        seg_words = seg.split()
        if len(seg_words) > 14 or any(w in _CLAUSE_WORDS for w in seg_words):
            return end
        words = len(tokens(low, start, seg_end))
        if words > MAX_WORDS:
            return end
        end = _stop_at(low, seg_start, stop, text)


# Verbs that say nothing about what is counted ("tổ chức được 784 cuộc"): not appended.
_GENERIC_VERBS = frozenset(
    {
        "tổ chức",
        "tổ chức được",
        "thu hút",
        "thu hút được",
        "có",
        "đạt",
        "ghi nhận",
        "gồm",
        "phát huy",
        "tạo",
        "tạo được",
        "thực hiện",
        "thực hiện được",
        "với",
        "được",
        "đón",
        "đón tiếp",
        "vượt qua",
        "chia làm",
        "chia thành",
        "nâng",
        "nâng lên",
    }
)
_VERB_LEAD_DROP = frozenset({"vừa", "cũng", "mới", "đều", "còn", "lại"})

_LEFT_VERB_STOP = frozenset(
    {
        "có",
        "là",
        "gồm",
        "đã",
        "sẽ",
        "đang",
        "năm",
        "nay",
        "qua",
        "và",
        "với",
        "của",
        "cho",
        "trong",
        "tại",
        "ở",
        "thì",
        "mà",
        "khoảng",
        "hơn",
        "trên",
        "gần",
        "dưới",
        "vượt",
        "tổng",
        "số",
        "còn",
        "chỉ",
        "mới",
        "cả",
        "toàn",
        "các",
        "những",
        "này",
        "đó",
        "nhất",
        "lên",
        "tới",
        "đến",
        "xuống",
        "thêm",
        "được",
        "mỗi",
        "từng",
        "bằng",
    }
)


def _left_verb(text: str, low: str, pos: int) -> str | None:
    """The action right before a number (``giới thiệu được``, ``trao``), lower-case words only."""
    toks = tokens(low, max(0, pos - 60), pos)
    if toks and toks[0][0] > 0 and low[toks[0][0] - 1].isalnum():
        toks = toks[1:]
    picked: list[tuple[int, int]] = []
    end = pos
    for a, b in reversed(toks):
        if low[b:end].strip() or len(picked) >= LEFT_VERB_WORDS:
            break
        word = low[a:b]
        before = text[:a].rstrip()
        at_start = not before or before[-1] in '.:;!?“"(-–'
        if word == "được" and not picked:
            picked.insert(0, (a, b))
            end = a
            continue
        if word in _LEFT_VERB_STOP or not (text[a].islower() or at_start) or word.isdigit():
            break
        picked.insert(0, (a, b))
        end = a
    while picked and low[picked[0][0] : picked[0][1]] in _VERB_LEAD_DROP:
        picked.pop(0)
    if not picked or low[picked[0][0] : picked[-1][1]] in _GENERIC_VERBS:
        return None
    words = [low[a:b] for a, b in picked]
    if words[-1] == "được":
        words = words[:-1]
    if " ".join(words[-2:]) in _GENERIC_VERBS or (words and words[-1] in _GENERIC_VERBS):
        return None
    verb = text[picked[0][0] : picked[-1][1]]
    return verb[0].lower() + verb[1:]


def _scope_before(text: str, low: str, pos: int) -> str | None:
    """A short label that opens the clause of a bare count ("cấp huyện: 6.404 cuộc")."""
    start = 0
    for m in re.finditer(r"[;.!?\n]", low[:pos]):
        start = m.end()
    head = low[start:pos]
    colon = head.rfind(":")
    if colon < 0:
        return None
    label = text[start : start + colon].strip(" ,;:-–")
    words = label.split()
    if words and words[0].lower() in ("ở", "tại", "trong"):
        words = words[1:]
    if not words or len(words) > 4 or not words[0][0].islower():
        return None
    return " ".join(words)


def _clean(text: str) -> str | None:
    out = " ".join(text.split()).strip(" ,;:-–")
    changed = True
    while changed and out:
        changed = False
        low = out.lower()
        for w in _TRAIL_DROP:
            if low.endswith(" " + w):
                out = out[: -len(w) - 1].rstrip(" ,;:-–")
                changed = True
    return out or None


def _beneficiary_action(text: str, low: str, pos: int) -> str | None:
    """For "khám và điều trị miễn phí cho 5.000 công nhân": the action done for the counted
    people ("khám và điều trị miễn phí"), read back from the "cho" before the number."""
    head = low[:pos].rstrip()
    if not head.endswith(" cho") and head != "cho":
        return None
    end = len(head) - 3
    start = 0
    for m in _BOUNDARY.finditer(low, 0, end):
        start = m.end()
    toks = [t for t in tokens(low, start, end)]
    picked: list[tuple[int, int]] = []
    for a, b in reversed(toks):
        word = low[a:b]
        if (
            word.isdigit()
            or not text[a].islower()
            or word in ("đã", "sẽ", "đang", "được", "vừa")
            or len(picked) >= 8
        ):
            break
        picked.insert(0, (a, b))
    if not picked:
        return None
    return text[picked[0][0] : picked[-1][1]]


def _drop_lead(low: str, start: int, stop: int) -> int:
    changed = True
    while changed:
        changed = False
        while start < stop and low[start] in " \t":
            start += 1
        for w in _LEAD_DROP:
            if low.startswith(w + " ", start) and start + len(w) < stop:
                start += len(w) + 1
                changed = True
                break
    return start


def _left_phrase(text: str, low: str, end: int) -> str | None:
    """The noun phrase before a number, back to the last comma or clause boundary."""
    start = 0
    for m in _BOUNDARY.finditer(low, 0, end):
        start = m.end()
    words = [(a, b) for a, b in tokens(low, start, end)]
    ws = [low[a:b] for a, b in words]

    def strip(
        seq: list[str], spans: list[tuple[int, int]], drops: tuple[str, ...], front: bool
    ) -> None:
        changed = True
        while seq and changed:
            changed = False
            for d in sorted(drops, key=len, reverse=True):
                k = len(d.split())
                part = seq[:k] if front else seq[-k:]
                if " ".join(part) == d and len(seq) >= k:
                    if front:
                        del seq[:k], spans[:k]
                    else:
                        del seq[-k:], spans[-k:]
                    changed = True
                    break

    strip(ws, words, _LEFT_DROP_START, True)
    strip(ws, words, _LEFT_DROP_END, False)
    if not words or len(words) > 20:
        return None
    return _clean(text[words[0][0] : words[-1][1]])


def _noun_phrase(text: str, low: str, start: int, limits: Sequence[int]) -> str | None:
    """The phrase from ``start`` (:func:`_phrase_end`); when it stops at a bracket that holds
    another figure ("30 phần quà (tổng trị giá 309 triệu đồng) cho CNLĐ nghèo"), the words
    after the bracket are part of it too."""
    stop = next((x for x in limits if x > start), len(text))
    end = _phrase_end(low, start, stop, text)
    piece = _clean(text[start:end])
    rest = low[end:]
    m = re.match(r"\s*\(([^()]{0,80})\)\s*", rest)
    if piece and m and any(ch.isdigit() for ch in m.group(1)):
        after = end + m.end()
        if after < len(low) and low[after].isalpha() and low[after].islower():
            stop2 = next((x for x in limits if x > after), len(text))
            more = _clean(text[after : _phrase_end(low, after, stop2, text)])
            if more and not more.lower().startswith(_CONTINUE_BLOCK):
                return f"{piece} {more}"
    return piece


def subject_of(
    text: str,
    low: str,
    f: Found,
    before: Sequence[Found],
    after: Sequence[Found],
    prev_subject: str | None = None,
) -> str | None:
    """The subject of claim ``f`` of a sentence (see the module docstring);
    ``prev_subject`` is the subject of the count just before it in the sentence."""
    stop = after[0].start if after else len(text)
    limits = [a.start for a in after]
    if f.measure in ("count", "quantity", "ratio") and f.unit_start is not None:
        start = f.unit_start
        if text[start] in '“"':  # a quoted name as the counting word
            close = text.find("”" if text[start] == "“" else '"', start + 1, stop)
            if close > 0:
                tail = _stop_at(low, close + 1, stop) if close + 1 < stop else close + 1
                return _clean(text[start : max(close + 1, tail)])
        noun = _noun_phrase(text, low, start, limits)
        unit_only = noun is not None and f.unit is not None and noun.lower() == f.unit.lower()
        if (
            unit_only
            and noun is not None
            and prev_subject
            and prev_subject.lower().startswith(noun.lower() + " ")
        ):
            # "721 cuộc giám sát; cấp huyện: 6.404 cuộc": the same thing counted again
            noun = prev_subject
        if unit_only:
            scope = _scope_before(text, low, f.start)
            if scope and noun:
                noun = f"{noun} ({scope})"
        action = _beneficiary_action(text, low, f.start)
        if noun and action and f.measure == "count":
            return f"{noun} được {action}"
        verb = _left_verb(text, low, f.start)
        if noun and verb and f.measure == "count":
            return f"{noun} {verb}"
        return noun
    if f.measure == "percent" and prev_subject:
        # a share of the count just before it: "748 chi hội trưởng ..., chiếm hơn 43%";
        # "120.000 doanh nghiệp ..., trong đó 90% có doanh thu"
        lead = phrase_before(low, f.start, _SHARE_WORDS)
        if lead is not None:
            if lead[0] in ("trong đó", "trong số đó", "trong số này"):
                start = _drop_lead(low, f.end, stop)
                right = (
                    _clean(text[start : _phrase_end(low, start, stop)]) if start < stop else None
                )
                return f"{prev_subject} {right}" if right else prev_subject
            return prev_subject if lead[0].startswith("chiếm") else f"tỷ lệ {prev_subject}"
    if f.measure == "percent" or f.measure == "ratio":
        start = _drop_lead(low, f.end, stop)
        right = None
        if start < stop and not _BOUNDARY.match(low, f.end):
            skip = start + 7 if low.startswith("so với", start) else start
            end = _phrase_end(low, skip, stop) if skip < stop else start
            right = _clean(text[start:end])
        if right:
            return right
        left = _left_phrase(text, low, f.start)
        if left and left.lower() in _VALUE_WORDS and prev_subject:
            return f"{left} {prev_subject}"
        if left:
            return left
        return f"tỷ lệ {prev_subject}" if prev_subject else None
    if f.measure == "money":
        return _money_subject(text, low, f, stop, prev_subject)
    return _left_phrase(text, low, f.start) or prev_subject


_SHARE_WORDS = frozenset(
    {
        "chiếm",
        "chiếm tỷ lệ",
        "chiếm tỉ lệ",
        "chiếm tới",
        "tỷ lệ",
        "tỉ lệ",
        "đạt tỷ lệ",
        "trong đó",
        "trong số đó",
        "trong số này",
    }
)
_MONEY_RIGHT = ("cho", "để", "giúp", "hỗ trợ", "tặng", "trao", "ủng hộ", "nhằm", "xây", "sửa")


def _money_subject(text: str, low: str, f: Found, stop: int, prev_subject: str | None) -> str:
    """Value word before the amount (``tổng trị giá``, ``kinh phí thực hiện``) or ``tiền`` +
    the action, then what it pays for (after the currency, or the count before it)."""
    left = _left_phrase(text, low, f.start)
    head = None
    if left:
        words = left.split()
        lw = [w.lower() for w in words]
        for i in range(len(words) - 1, -1, -1):
            two = " ".join(lw[i : i + 2])
            if lw[i] in ("tiền", "phí") or two in _VALUE_WORDS:
                if lw[i] == "phí" and i > 0:
                    i -= 1
                if i > 0 and lw[i - 1] in ("tổng", "với"):
                    i -= 1 if lw[i - 1] == "tổng" else 0
                head = " ".join(words[i:]) if len(words) - i <= 6 or len(words) > 6 else left
                if len(words) <= 6:
                    head = left
                break
    if head is None:
        verb = _left_verb(text, low, f.start)
        head = f"tiền {verb}" if verb else "tiền"
    start = _drop_lead(low, f.end, stop)
    right = None
    if start < stop and not _BOUNDARY.match(low, f.end) and low.startswith(_MONEY_RIGHT, start):
        right = _clean(text[start : _phrase_end(low, start, stop)])
    tail = right or prev_subject
    return f"{head} {tail}" if tail else head
