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
from functools import cache
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
    "và các",
    "cùng",
    "tại",
    "để",
    "là những",
    "là các",
    "đã trở thành",
    "được chia",
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
    "bình quân",
    "trung bình",
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


# A time or place phrase that starts the period or the location of the claim (other fields),
# an apposition ("đó là"), examples ("như") or a manner adverbial ("theo đúng quy định"):
# the subject ends before it.
_SCOPE = re.compile(
    r"(?:năm|tháng|ngày|quý) \d"
    r"|(?:trong|sau|qua) \d+ (?:năm|tháng|ngày|tuần)"
    r"|(?:vào|trong|từ|đến|tới) (?:đầu|cuối|giữa|dịp|ngày|tháng|năm|quý|thời gian|giai đoạn|nhiệm kỳ"
    r"|sáng|chiều|tối)\b"
    r"|(?:hằng|hàng|mỗi) (?:năm|tháng|ngày|tuần|quý)\b"
    r"|(?:bình quân|trung bình|lần này|hiện nay|đến nay|trên địa bàn|đó là|như|trong số)\b"
    r"|theo (?:đúng|kế hoạch|chỉ đạo)\b"
    r"|của (?:phường|xã|huyện|quận|tỉnh|thành phố|thị xã|thị trấn)\b"
)


# a scope phrase, or a stop word as a whole word (not followed by a letter or digit)
_SCOPE_OR_STOP = re.compile(rf"{_SCOPE.pattern}|(?:{'|'.join(map(re.escape, _STOP))})(?![^\W_])")


def _stop_at(low: str, start: int, stop: int, text: str | None = None, trim: bool = True) -> int:
    """End of the phrase starting at ``start``: the first boundary, stop word, time or place
    phrase (:data:`_SCOPE`) or word limit; a phrase that runs into the next figure ends
    before the conjunction or preposition that leads into it (:func:`_before_next`)."""
    m = _BOUNDARY.search(low, start, stop)
    end = m.start() if m else stop
    toks = tokens(low, start, end)
    for i, (a, b) in enumerate(toks):
        if i == 0:
            continue
        if i >= MAX_WORDS:
            return toks[i - 1][1]
        if _SCOPE_OR_STOP.match(low, a):
            return toks[i - 1][1]
        # "... và LĐLĐ Đồng Tháp tặng": a capitalised word after "và" starts a new clause
        if (
            text is not None
            and low[a:b] == "và"
            and i + 1 < len(toks)
            and text[toks[i + 1][0]].isupper()
        ):
            return toks[i - 1][1]
    if trim and m is None and stop < len(low) and toks:
        return _before_next(low, toks)
    return toks[-1][1] if toks else start


# Words that lead from one figure into the next ("1.000 áo phao và 250 thùng thuốc",
# "151 ủy viên trong số 174 ứng viên", "12 block nhà ... trên diện tích 30.460 m2").
_INTO_NEXT = frozenset(
    {"và", "hoặc", "cùng", "với", "trên", "trong", "của", "cho", "từ", "ở", "tại", "đến", "lên"}
    | {"là", "có", "gồm", "đạt", "bằng", "khoảng", "hơn", "gần", "dưới", "còn"}
)


def _before_next(low: str, toks: Sequence[tuple[int, int]]) -> int:
    """End of a phrase that runs up to the next figure: before the last word that leads
    into it: the last "và"/"hoặc", else a word of :data:`_INTO_NEXT` among its last four
    syllables, so the next figure's words stay with it.

    >>> low = "áo phao và 250 thùng"
    >>> low[: _before_next(low, tokens(low, 0, 11))]
    'áo phao'
    """
    for i in range(len(toks) - 1, 0, -1):
        if low[toks[i][0] : toks[i][1]] in ("và", "hoặc"):  # a coordinated clause
            return toks[i - 1][1]
    for i in range(len(toks) - 1, max(0, len(toks) - 5), -1):
        if low[toks[i][0] : toks[i][1]] in _INTO_NEXT:
            return toks[i - 1][1]
    return toks[-1][1]


_CONTINUE_BLOCK = (
    "không",
    "chưa",
    "có",
    "bao gồm",
    "gồm",
    "qua",
    "thông qua",
    "bằng",
    "nhờ",
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
    what follows is more of the same list (no number, no new clause), and over a quoted
    name that the phrase runs into ("CĐCS đạt danh hiệu “CĐCS vững mạnh”")."""
    end = _stop_at(low, start, stop, text)
    while True:
        q = _QUOTED.match(low, end, stop)
        if q:
            end = q.end()
            if end < stop and low[end] == " " and low[end + 1 : end + 2].isalpha():
                end = max(end, _stop_at(low, end, stop, text))
            continue
        nxt = end
        while nxt < stop and low[nxt] == " ":
            nxt += 1
        if nxt >= stop or low[nxt] != ",":
            return end
        seg_start = nxt + 1
        m = _BOUNDARY.search(low, seg_start, stop)
        seg_end = m.start() if m else stop
        if (
            m is None
            and stop < len(low)
            and _stop_at(low, seg_start, stop, text, False) >= stop - 1
        ):
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


_QUOTED = re.compile(r" ?[“\"][^“”\"]{1,80}[”\"]")


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
# "việc" nominalises the verb after it ("việc thành lập mới 2.131 CĐCS"): not the action
_VERB_LEAD_DROP = frozenset({"vừa", "cũng", "mới", "đều", "còn", "lại", "việc", "phải"})

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
        # prepositions: the number is their object, not a verb's ("quan hệ giữa hai nước")
        "từ",
        "giữa",
        "cùng",
        "về",
        "theo",
        "do",
        "bởi",
        "vào",
        "không",
        "quá",
        "bình",
        "quân",
        "hằng",
        "hàng",
        "thuộc",
        "gấp",
        "để",
        "nhằm",
        "tiêu",  # chỉ tiêu, mục tiêu: a target noun, not an action
        # two-syllable units: a modal ("có thể thành lập"), a name ("tỉnh đoàn 3 triệu")
        "có thể",
        "tỉnh đoàn",
        "kết quả",  # a noun: "kết quả thu được 140 đơn vị", "từ kết quả kiểm tra 10 tỉnh"
        # the tail of an agent ("UBND tỉnh tặng", "cả nước kết nạp")
        "tỉnh",
        "huyện",
        "xã",
        "quận",
        "phường",
        "nước",
    }
)
# second syllables of organisation names ("Thành đoàn", "Tỉnh đoàn", "Mặt trận")
_NAME_TAILS = frozenset({"đoàn", "trận"})
# "kết nạp mới hơn 3,2 triệu đoàn viên", "hỗ trợ thêm 2 mái ấm": a particle right after the verb
_VERB_PARTICLES = frozenset({"thêm", "mới"})
# light verbs and manner adverbs before the real action ("tổ chức trao", "trực tiếp trao")
_VERB_LIGHT = ("tổ chức", "tiến hành", "trực tiếp", "vinh dự", "thường xuyên")


@cache
def _dictionary() -> frozenset[str]:
    """underthesea's word-segmentation dictionary (lower case, syllables joined by a space),
    the one the tokenizer already loads; empty when it cannot be read (no word is then known
    to span two syllables)."""
    try:
        from pipeline.nlp.tokenizer import word_files

        words = word_files()[1]
    except Exception:  # no underthesea model: read syllable by syllable
        return frozenset()
    return frozenset(words) if isinstance(words, set) else frozenset()


def _one_word(first: str, second: str) -> bool:
    """Whether two adjacent syllables form one dictionary word ("chỉ đạo", "trung ương"):
    a cue read from one of them alone would split the word.

    >>> _one_word("chỉ", "đạo"), _one_word("Trung", "ương"), _one_word("chỉ", "5")
    (True, True, False)
    """
    return f"{first.lower()} {second.lower()}" in _dictionary()


def _splits(low: str, word: str, picked: Sequence[tuple[int, int]]) -> bool:
    """Whether ``word``, right before the syllables ``picked``, forms a word with the first
    of them, which does not form one of its own with the next: "chỉ" before "đạo", "trung"
    before "ương phải", but not "tỉnh" before "thành lập" ("toàn tỉnh thành lập").

    >>> low = "tỉnh thành lập"
    >>> _splits(low, "tỉnh", [(5, 10), (11, 14)]), _splits(low, "tỉnh", [(5, 10)])
    (False, True)
    """
    if not picked or not _one_word(word, low[picked[0][0] : picked[0][1]]):
        return False
    return len(picked) < 2 or not _one_word(
        low[picked[0][0] : picked[0][1]], low[picked[1][0] : picked[1][1]]
    )


def _left_verb(text: str, low: str, pos: int, floor: int = 0) -> str | None:
    """The action right before a number (``giới thiệu được``, ``trao``), lower-case words only,
    not reaching back before ``floor`` (the end of the figure before it)."""
    toks = tokens(low, max(0, pos - 60, floor), pos)
    if toks and toks[0][0] > 0 and low[toks[0][0] - 1].isalnum():
        toks = toks[1:]
    picked: list[tuple[int, int]] = []
    end = pos
    for a, b in reversed(toks):
        if low[b:end].strip():
            break
        word = low[a:b]
        first = low[picked[0][0] : picked[0][1]] if picked else ""
        splits = _splits(low, word, picked)
        if len(picked) >= LEFT_VERB_WORDS:
            if splits:  # "Trung ương phải xem xét": not from the middle of a word
                picked.pop(0)
            break
        at_start = _at_clause_start(text, a)
        if (word == "được" or word in _VERB_PARTICLES) and not picked:
            picked.insert(0, (a, b))
            end = a
            continue
        if word == "bằng" and picked:  # "tặng bằng khen 20 cá nhân"
            picked.insert(0, (a, b))
            end = a
            continue
        if (
            splits
            and word in _LEFT_VERB_STOP
            and text[a].islower()
            and f"{word} {first}" not in _LEFT_VERB_STOP
        ):
            # "chỉ đạo", "bình xét": the syllable opens a word with the verb after it and is
            # not the cue it is alone ("chỉ" only, "bình quân")
            picked.insert(0, (a, b))
            end = a
            continue
        if word in _LEFT_VERB_STOP or not (text[a].islower() or at_start) or word.isdigit():
            if picked and ((first in _NAME_TAILS and text[a].isupper()) or splits):
                # "Thành đoàn huy động", "Trung ương phải xem xét": the end of a name or of a
                # word that is not the action
                picked.pop(0)
            break
        picked.insert(0, (a, b))
        end = a
    for i in range(len(picked) - 2, -1, -1):  # a two-syllable cue inside ("kết quả kiểm tra")
        if low[picked[i][0] : picked[i + 1][1]] in _LEFT_VERB_STOP:
            picked = picked[i + 2 :]
            break
    while picked and low[picked[0][0] : picked[0][1]] in _VERB_LEAD_DROP:
        picked.pop(0)
    if len(picked) == 1 and low[picked[0][0] : picked[0][1]] in _VERB_PARTICLES:
        return None
    if not picked or low[picked[0][0] : picked[-1][1]] in _GENERIC_VERBS:
        return None
    while len(picked) > 2:
        two = low[picked[0][0] : picked[1][1]]
        if two not in _VERB_LIGHT:
            break
        picked = picked[2:]
    while picked and low[picked[0][0] : picked[0][1]] in _VERB_LEAD_DROP:
        picked.pop(0)  # "Ban tổ chức cũng trao": the adverb after the light verb
    if len(picked) > 2 and low[picked[0][0] : picked[1][1]] == "đồng thời":
        picked = picked[2:]  # "đồng thời bầu": a linking adverb
    if not picked:
        return None
    words = [low[a:b] for a, b in picked]
    if words[-1] == "được":
        words = words[:-1]
        picked = picked[:-1]
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


# Aspect and focus adverbs say nothing about what is counted ("gia đình hội viên đều thực
# hiện", "đội tuyển xuất sắc nhất sẽ thi đấu"): left out of a subject.
_INNER_ADVERB = re.compile(r" (?:đều|sẽ|cũng|vẫn)(?= )| (?:trên|trong) (?:cả nước|toàn quốc)\b")


def _adverb_out(text: str, m: re.Match[str]) -> str:
    """What replaces an inner adverb: nothing, unless its syllable is part of a word with
    a neighbour ("đều đặn", "cũng như")."""
    word = m.group(0).strip()
    if " " in word:  # "trên cả nước"
        return ""
    before = text[: m.start()].rsplit(" ", 1)[-1]
    after = text[m.end() :].split(" ", 2)[1]  # the adverb is followed by a space
    return m.group(0) if _one_word(before, word) or _one_word(word, after) else ""


def _clean(text: str) -> str | None:
    """The phrase with white space folded, edge punctuation, trailing function words and inner
    aspect adverbs removed.

    >>> _clean("gia đình hội viên đều thực hiện việc cưới văn minh và")
    'gia đình hội viên thực hiện việc cưới văn minh'
    """
    folded = " ".join(text.split())
    out = _INNER_ADVERB.sub(lambda m: _adverb_out(folded, m), folded).strip(" ,;:-–")
    changed = True
    while changed and out:
        changed = False
        low = out.lower()
        for w in _TRAIL_DROP:
            if low.endswith(" " + w) and not _one_word(low[: -len(w) - 1].rsplit(" ", 1)[-1], w):
                out = out[: -len(w) - 1].rstrip(" ,;:-–")
                changed = True
    return out or None


_CLAUSE_END = re.compile(r"[;.:!?()\[\]“”\"…\n]|\s[-–]\s")
_ACTION_STOP = frozenset(
    {"đã", "sẽ", "đang", "được", "vừa", "là", "năm", "mỗi", "hằng", "hàng", "quân", "nay", "qua"}
    | {"cho"}
)
# event nouns and light verbs before the activity itself ("207 lớp tập huấn về ...")
_ACTION_LEAD = ("tổ chức", "tiến hành", "lớp", "buổi", "cuộc", "đợt")


def _beneficiary_action(text: str, low: str, pos: int, before: Sequence[Found] = ()) -> str | None:
    """For "khám và điều trị miễn phí cho 5.000 công nhân": the action done for the counted
    people ("khám và điều trị miễn phí"), read back from the "cho" before the number over
    the clause. When another figure stands in that stretch ("tư vấn pháp luật 642 vụ, việc
    cho 2.135 lượt người"), the action is that figure's verb, or what follows its unit."""
    head = low[:pos].rstrip()
    if not head.endswith(" cho") and head != "cho":
        return None
    end = len(head) - 3
    start = 0
    for m in _CLAUSE_END.finditer(low, 0, end):
        start = m.end()
    prior = [p for p in before if start <= p.start and p.end <= end]
    if prior:
        p = prior[-1]
        if len(tokens(low, p.end, end)) <= 2:  # only the rest of its unit ("vụ, việc")
            return _left_verb(text, low, p.start)
        start = max(start, p.end, low.rfind(",", p.end, end) + 1)
    picked: list[tuple[int, int]] = []
    back = list(reversed(tokens(low, start, end)))
    # "tuyên truyền việc học tập và làm theo gương Bác cho": an object nominalised by "việc"
    # makes the action long; its verb (up to 3 words before "việc") is read too
    limit = next((i + 4 for i, (a, b) in enumerate(back[:12]) if low[a:b] == "việc"), 8)
    for a, b in back:
        word = low[a:b]
        if any(ch.isdigit() for ch in word) and len(picked) <= 2:
            # "tư vấn 642 vụ, việc cho ...": the words after a number are its unit
            return _left_verb(text, low, a)
        full = len(picked) >= max(8, limit) or (len(picked) >= 8 and word in ("và", "hoặc"))
        splits = _splits(low, word, picked)
        if splits and not full and word in _ACTION_STOP:
            picked.insert(0, (a, b))  # "cho vay", "hàng hóa": not the cue it is alone
            continue
        if any(ch.isdigit() for ch in word) or word in _ACTION_STOP or full:
            if splits:  # not from the middle of a word
                picked.pop(0)
            break
        picked.insert(0, (a, b))
    # leading capitalised words are the agent ("công đoàn các KCN TP khám ... cho"), with the
    # rest of a word they begin ("Trung ương tặng")
    agent = ""
    while picked and text[picked[0][0]].isupper() and not _at_clause_start(text, picked[0][0]):
        agent = low[picked[0][0] : picked[0][1]]
        picked.pop(0)
    if agent and _splits(low, agent, picked):
        picked.pop(0)
    if not picked:
        return None
    return _strip_lead(text[picked[0][0] : picked[-1][1]].strip(" ,"), _ACTION_LEAD)


def _at_clause_start(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a clause: after a stop, colon, quote, bracket or a spaced dash; a
    hyphen glued to the word before joins a compound name ("các KCX-KCN TP").

    >>> _at_clause_start("LĐLĐ - Hội", 7), _at_clause_start("KCX-KCN", 4)
    (True, False)
    """
    before = text[:pos].rstrip()
    if before.endswith(("-", "–")) and len(before) == pos and pos > 1 and text[pos - 2].isalnum():
        return False
    return not before or before[-1] in '.:;!?“"(-–'


def _strip_lead(phrase: str, leads: Sequence[str]) -> str | None:
    """``phrase`` without the leading words of ``leads`` (while something remains).

    >>> _strip_lead("tổ chức lớp tập huấn an toàn", ("tổ chức", "lớp"))
    'tập huấn an toàn'
    """
    changed = True
    while changed:
        changed = False
        low = phrase.lower()
        for w in leads:
            if low.startswith(w + " ") and len(phrase) > len(w) + 1:
                phrase = phrase[len(w) + 1 :].lstrip(" ,")
                changed = True
    return phrase or None


# Words that open a relative clause after the counted noun ("quần chúng ưu tú được kết nạp
# Đảng", "chi hội trưởng là đảng viên", "đội tình nguyện tham gia ..."): the clause already
# says what is counted, so the verb before the number is not added.
_CLAUSE_MARKERS = ("được", "bị", "là", "có", "đã", "đang", "do", "tham gia", "tham dự", "đạt")


# Classifiers and units that only measure the noun after them ("1,5 triệu con tôm giống",
# "700 kg gạo"): what is counted or measured is that noun.
_MEASURE_WORDS = frozenset({"con", "chiếc", "cái"})


def _without_measure_word(noun: str | None, f: Found) -> str | None:
    """``noun`` without a leading classifier or unit of measure when a noun follows it.

    >>> from pipeline.claims.finder import claims_in_text
    >>> [c.subject for c in claims_in_text("Trại đã thả 2 triệu con tôm giống và 700 kg gạo.")]
    ['tôm giống được thả', 'gạo']
    """
    if not noun or not f.unit:
        return noun
    unit = f.unit.lower()
    if f.measure == "quantity" or unit in _MEASURE_WORDS:
        low = noun.lower()
        if low.startswith(unit + " ") and noun[len(unit) + 1 :].strip():
            return noun[len(unit) + 1 :].strip()
    return noun


_JOIN = re.compile(r"(?:với sự (tham gia|tham dự) của|với|thu hút được|thu hút)\s*$")
_PARTAKE = ("tham gia", "tham dự")
_EVENT_END = re.compile(r"[,;.:!?()\[\]\n]")


def _participation(text: str, low: str, pos: int, noun: str) -> str | None:
    """People counted as taking part in an event named just before them in the clause:
    "tổ chức phiên chợ với 3.000 người tham gia", "Đại hội ... với sự tham gia của 445 đại
    biểu", "chương trình “Tết sum vầy” thu hút 500 CNVCLĐ tham dự": the noun, its verb of
    taking part and the event.

    >>> t = "Đoàn tổ chức ngày hội việc làm với 3.000 người tham gia."
    >>> _participation(t, t.lower(), t.index("3.000"), "người tham gia")
    'người tham gia ngày hội việc làm'
    """
    m = _JOIN.search(low, 0, pos)
    if m is None:
        return None
    if m.group(1):
        verb = m.group(1)
        if noun.lower().endswith(_PARTAKE):
            return None
    elif noun.lower().endswith(_PARTAKE):
        verb = ""
    else:
        return None
    start = 0
    for b in _EVENT_END.finditer(low, 0, m.start()):
        start = b.end()
    seg = low[start : m.start()]
    cut = seg.find(" do ")
    if cut >= 0:
        seg = seg[:cut]
    light = seg.rfind("tổ chức ")
    a = start + (light + len("tổ chức ") if light >= 0 else 0)
    event = _clean(text[a : start + len(seg)])
    if not event:
        return None
    e = _SCOPE.search(event.lower())
    if e and e.start() > 0:
        event = _clean(event[: e.start()]) or event
    if len(event.split()) > 14:
        return None
    return f"{noun} {verb} {event}" if verb else f"{noun} {event}"


def _has_clause(noun: str, unit: str | None) -> bool:
    """Whether the phrase after the counting word holds its own verb (before any "cho").

    >>> _has_clause("quần chúng ưu tú được kết nạp Đảng", "quần chúng")
    True
    >>> _has_clause("phần quà cho trẻ em được nuôi dưỡng", "phần quà")
    False
    """
    low = noun.lower()
    cut = low.find(" cho ")
    if cut >= 0:
        low = low[:cut]
    words = low.split()
    skip = len(unit.split()) if unit and low.startswith(unit.lower()) else 1
    rest = " " + " ".join(words[skip:]) + " "
    return any(f" {m} " in rest for m in _CLAUSE_MARKERS)


def _with_verb(noun: str, verb: str) -> str:
    """The counted noun with the action done to it: before its "cho" complement
    ("quần chúng ưu tú giới thiệu cho Đảng"), else as a passive ("CĐCS được thành lập").

    >>> _with_verb("quần chúng ưu tú cho Đảng", "giới thiệu")
    'quần chúng ưu tú giới thiệu cho Đảng'
    >>> _with_verb("dự án khởi nghiệp", "hỗ trợ")
    'dự án khởi nghiệp được hỗ trợ'
    >>> _with_verb("phần quà cho CNLĐ nghèo", "trao")
    'phần quà trao cho CNLĐ nghèo'
    """
    cut = noun.lower().find(" cho ")
    if cut >= 0:
        return f"{noun[:cut]} {verb}{noun[cut:]}"
    return f"{noun} được {verb}"


_NAMED = re.compile(
    r"(?:^|\s)(tổng số|số lượng|số|chỉ tiêu|mục tiêu)\s+(\D{2,120}?)"
    r"(?:\s+(?:là|lên đến|lên tới|lên|đạt|còn))?\s*$"
)


def _named_before(text: str, low: str, pos: int) -> str | None:
    """What a bare counting word counts when the sentence names it before the number:
    "số nữ cán bộ ... là 167 người", "nâng tổng số hội viên lên 6.411 hội viên", "chỉ tiêu
    giới thiệu quần chúng cho Đảng là 10 hội viên"; or the phrase a bracket annotates,
    "người lao động ở các HTX (3 người - 3,8%)". ``tổng số`` is kept (a total is what is
    measured), ``số``/``chỉ tiêu`` are not.

    >>> t = "Số nữ cán bộ, viên chức là 167 người."
    >>> _named_before(t, t.lower(), t.index("167"))
    'nữ cán bộ, viên chức'
    >>> t = "Hội viên ở các HTX (3 người)."
    >>> _named_before(t, t.lower(), t.index("3 "))
    'Hội viên ở các HTX'
    """
    start = 0
    for m in re.finditer(r"[;.!?\n]", low[:pos]):
        start = m.end()
    head = low[start:pos].rstrip()
    if head.endswith("("):
        inner = 0
        for m in _CLAUSE_END.finditer(low, start, len(head) - 1 + start):
            inner = m.end()
        a = max(start, inner)
        phrase = _clean(text[a : start + len(head) - 1])
        if phrase:
            p = _drop_lead(phrase.lower(), 0, len(phrase))
            phrase = phrase[p:]
        if phrase and len(phrase.split()) <= 24 and not any(c.isdigit() for c in phrase):
            return phrase
        return None
    named_m = _NAMED.search(head)
    if named_m is None or (
        not named_m.group(0).rstrip().endswith(("là", "lên", "đạt", "còn", "đến", "tới"))
        and not low.startswith("lên", pos)
    ):
        return None
    named = text[start + named_m.start(2) : start + named_m.end(2)]
    if len(named.split()) > 12:
        return None
    named_clean = _clean(named)
    if not named_clean:
        return None
    return f"tổng số {named_clean}" if named_m.group(1) == "tổng số" else named_clean


_EACH = re.compile(r"\bmỗi (\w+)")
_EACH_BEFORE = frozenset(
    {"do", "được", "bị", "là", "có", "đã", "của", "cho", "tại", "ở", "trong", "thuộc", "với"}
)
_EACH_NOT = frozenset(
    {"năm", "tháng", "ngày", "tuần", "quý", "kỳ", "lần", "đợt", "buổi", "khóa", "khoá", "mùa"}
)


def _with_each(text: str, low: str, f: Found, noun: str) -> str:
    """A distributive "mỗi X" before the number in its clause is part of what is counted:
    "mỗi đội có 20 tình nguyện viên do tỉnh tuyển chọn" counts "tình nguyện viên mỗi đội do
    tỉnh tuyển chọn" (placed after the noun, before a clause or preposition that follows it).

    >>> t = "Mỗi xã có 3 - 5 tổ hòa giải."
    >>> from pipeline.claims.finder import claims_in_text
    >>> claims_in_text(t)[0].subject
    'tổ hòa giải mỗi xã'
    """
    unit = f.unit or ""
    if not noun.lower().startswith(unit.lower()) or " mỗi " in f" {noun.lower()} ":
        return noun
    start = 0
    for m in _BOUNDARY.finditer(low, 0, f.start):
        start = m.end()
    found = max(_EACH.finditer(low, start, f.start), key=lambda m: m.start(), default=None)
    if found is None or found.group(1) in _EACH_NOT or found.group(1).isdigit():
        return noun
    each = text[found.start() : found.end()]
    each = each[0].lower() + each[1:]
    words = noun.split(" ")
    skip = len(unit.split())
    for i in range(skip, len(words)):
        if words[i].lower() in _EACH_BEFORE:
            return " ".join([*words[:i], each, *words[i:]])
    return f"{noun} {each}"


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


_AVERAGE = ("bình quân", "trung bình")
_EACH_WORDS = frozenset({"mỗi", "hằng", "hàng", "một", "trong", "giai", "từ"})


def _attributive_average(ws: Sequence[str], i: int) -> bool:
    """Whether "bình quân"/"trung bình" at word ``i`` qualifies the noun before it ("thu nhập
    bình quân đầu người", "độ tuổi trung bình"): part of what is measured. After a verb of
    change or attainment ("tăng bình quân", "đạt bình quân") or before a distributive or
    period ("bình quân mỗi năm") it is an adverb of the figure.

    >>> _attributive_average("độ tuổi trung bình của đại biểu là".split(), 2)
    True
    >>> _attributive_average("thu nhập tăng bình quân mỗi năm".split(), 3)
    False
    """
    if " ".join(ws[i : i + 2]) not in _AVERAGE or i == 0:
        return False
    if ws[i - 1] in _LEFT_DROP_END or ws[i - 1] in _LEFT_DROP_START:
        return False
    return i + 2 >= len(ws) or ws[i + 2] not in _EACH_WORDS


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

    for i, (a, _) in enumerate(words[1:], 1):  # "... ủng hộ trong 5 năm là": the period
        if _SCOPE.match(low, a) and not _attributive_average(ws, i):
            del words[i:], ws[i:]
            break
    for i in range(len(ws) - 1, 0, -1):
        # "đi học nghề 6 tháng và trả lương 65%": the phrase of this figure starts after
        # another number or a conjunction that opens a new clause
        if any(ch.isdigit() for ch in ws[i]) or ws[i] in ("và", "nhưng", "còn", "song"):
            del words[: i + 1], ws[: i + 1]
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


_CONJUNCT = re.compile(r"\s*(?:,|và|, và|,? cùng)\s*$")


def _shared_verb(text: str, low: str, f: Found, before: Sequence[Found]) -> str | None:
    """The verb of a list of counted objects for a later member of the list that has none of
    its own: in "trao 10 suất quà, 30 chiếc xe đạp và 5 bộ máy tính", each object is what
    "trao" acts on. A member follows the one before it when only a comma or "và" stands
    between the end of that one's noun phrase and this number.

    >>> t = "Đã trao 10 suất quà, 30 xe đạp và 5 bộ máy tính."
    >>> [c.subject for c in __import__("pipeline.claims.finder").claims.finder.claims_in_text(t)]
    ['suất quà được trao', 'xe đạp được trao', 'bộ máy tính được trao']
    """
    pos = f.start
    for k in range(len(before) - 1, -1, -1):
        prior = before[k]
        if prior.measure != "count" or prior.unit_start is None:
            return None
        end = _phrase_end(low, prior.unit_start, pos, text)
        if _has_clause(text[prior.unit_start : end], prior.unit):
            return None  # "40 lần được trao ...": a clause of its own, not a list member
        q = re.match(r"\s*\([^()]{0,80}\)", low[end:pos])  # "(tổng trị giá ...)"
        if q:
            end += q.end()
        if end <= prior.unit_start or not _CONJUNCT.fullmatch(low, end, pos):
            return None
        floor = before[k - 1].end if k else 0
        verb = _left_verb(text, low, prior.start, floor)
        if verb:
            return verb
        pos = prior.start
    return None


def _list_member_end(low: str, f: Found, stop: int, text: str) -> int:
    """End of the noun phrase of a counted list member, over a bracket that follows it."""
    assert f.unit_start is not None
    end = _phrase_end(low, f.unit_start, stop, text)
    q = re.match(r"\s*\([^()]{0,80}\)", low[end:stop])  # "(tổng trị giá ...)"
    return end + q.end() if q else end


def _shared_recipient(text: str, low: str, f: Found, after: Sequence[Found]) -> str | None:
    """The recipient of a list of counted objects, named once after the last member: in
    "trao 10 suất quà, 30 xe đạp cho học sinh nghèo", the gifts of every member go "cho học
    sinh nghèo". Members follow one another with only a comma or "và" between them; a member
    with a clause of its own ends the list.

    >>> t = "Đã trao 10 suất quà và 30 xe đạp cho học sinh nghèo."
    >>> [c.subject for c in __import__("pipeline.claims.finder").claims.finder.claims_in_text(t)]
    ['suất quà trao cho học sinh nghèo', 'xe đạp trao cho học sinh nghèo']
    """
    if f.unit_start is None:
        return None
    stop = after[0].start if after else len(text)
    end = _list_member_end(low, f, stop, text)
    for j, nxt in enumerate(after):
        if nxt.measure not in ("count", "quantity") or nxt.unit_start is None:
            return None
        if end <= f.start or not _CONJUNCT.fullmatch(low, end, nxt.start):
            return None
        limits = [a.start for a in after[j + 1 :] if a.start > nxt.unit_start]
        phrase = _noun_phrase(text, low, nxt.unit_start, limits)
        if not phrase:
            return None
        cut = phrase.lower().find(" cho ")
        if cut >= 0:
            if _has_clause(phrase, nxt.unit):
                return None
            return phrase[cut + 1 :]
        if _has_clause(phrase, nxt.unit):
            return None
        nstop = limits[0] if limits else len(text)
        end = _list_member_end(low, nxt, nstop, text)
    return None


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
        noun: str | None = None
        if text[start] in '“"':  # a quoted name as the counting word
            close = text.find("”" if text[start] == "“" else '"', start + 1, stop)
            if close > 0:
                tail = _stop_at(low, close + 1, stop, text) if close + 1 < stop else close + 1
                noun = _clean(text[start : max(close + 1, tail)])
        if noun is None:
            noun = _noun_phrase(text, low, start, limits)
            noun = _without_measure_word(noun, f)
        unit_only = noun is not None and f.unit is not None and noun.lower() == f.unit.lower()
        if unit_only:
            named = _named_before(text, low, f.start)
            if named:
                return named
        floor = before[-1].end if before else 0
        verb = _left_verb(text, low, f.start, floor) if f.measure == "count" else None
        if f.measure == "count" and not verb:
            verb = _shared_verb(text, low, f, before)
        if (
            unit_only
            and not verb
            and noun is not None
            and prev_subject
            and prev_subject.lower().startswith(noun.lower() + " ")
        ):
            # "721 cuộc giám sát; cấp huyện: 6.404 cuộc": the same thing counted again
            noun = prev_subject
        if unit_only:
            scope = _scope_before(text, low, f.start)
            if scope and noun:
                # "cấp huyện: 6.404 cuộc; cấp xã: 49.564 cuộc": a new label replaces the one
                # the repeated subject carries
                noun = f"{re.sub(r' [(][^()]*[)]$', '', noun)} ({scope})"
        if (
            noun
            and f.measure == "count"
            and " cho " not in f" {noun.lower()} "
            and not _has_clause(noun, f.unit)
        ):
            recipient = _shared_recipient(text, low, f, after)
            if recipient:
                noun = f"{noun} {recipient}"
        if noun and f.unit:
            each = _with_each(text, low, f, noun)
            if each != noun:  # "mỗi đám tổ chức 40 mâm": no action of its own
                return each
        if noun and f.measure == "count":
            event = _participation(text, low, f.start, noun)
            if event:
                return event
        if not noun or f.measure != "count" or _has_clause(noun, f.unit):
            return noun
        action = _beneficiary_action(text, low, f.start, before)
        if action:
            return f"{noun} được {action}"
        return _with_verb(noun, verb) if verb else noun
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
        if right and _SCOPE.match(low, start):  # "tăng 9,6% mỗi năm": a period
            right = None
        left = _left_phrase(text, low, f.start)
        if right and right.lower().startswith("so với"):
            # a comparison says against what, not what is measured: "doanh thu tăng 15% so
            # với năm trước" measures "doanh thu"; "kết nạp 3,2 triệu đoàn viên (đạt 219% so
            # với chỉ tiêu)" is the count's rate of completion
            if left:
                return left
            if prev_subject:
                return f"{prev_subject} {right}"
            return _prior_subject(text, low, before, f, after) or right
        if right:
            return right
        if left and left.lower() in _VALUE_WORDS and prev_subject:
            return f"{left} {prev_subject}"
        if left:
            return left
        if prev_subject:
            return f"tỷ lệ {prev_subject}"
        return _prior_subject(text, low, before, f, after)
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
_MEASURED_BY = (" đạt", " là", " lên", " tới", " mức")
_MONEY_RIGHT = ("cho", "để", "giúp", "hỗ trợ", "tặng", "trao", "ủng hộ", "nhằm", "xây", "sửa")


def _prior_subject(
    text: str, low: str, before: Sequence[Found], f: Found, after: Sequence[Found]
) -> str | None:
    """The subject of the figure just before ``f`` when only a comma joins them
    ("kim ngạch đạt 1,2 tỷ USD, tăng 9,5%": the increase is of what that figure measures)."""
    if not before or low[before[-1].end : f.start].strip(" ,").split(" ")[0] not in _CHANGE:
        return None
    prior = before[-1]
    return subject_of(text, low, prior, before[:-1], [f, *after])


_CHANGE = frozenset({"tăng", "giảm", "vượt", "đạt", "bằng"})


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
                if lw[i] == "tiền" and i > 0 and lw[i - 1] == "số":  # "tổng số tiền"
                    i -= 1
                if i > 0 and lw[i - 1] in ("tổng", "với"):
                    i -= 1 if lw[i - 1] == "tổng" else 0
                head = " ".join(words[i:]) if len(words) - i <= 6 or len(words) > 6 else left
                if len(words) <= 6:
                    head = left
                break
    if head is None and left and low[: f.start].rstrip().endswith(_MEASURED_BY):
        # "kim ngạch xuất khẩu của tỉnh đạt 1,2 tỷ USD": what the amount measures
        head = left
    if head is None:
        verb = _left_verb(text, low, f.start)
        head = f"tiền {verb}" if verb else "tiền"
    start = _drop_lead(low, f.end, stop)
    right = None
    if start < stop and not _BOUNDARY.match(low, f.end) and low.startswith(_MONEY_RIGHT, start):
        right = _clean(text[start : _phrase_end(low, start, stop)])
    tail = right or prev_subject
    return f"{head} {tail}" if tail else head
