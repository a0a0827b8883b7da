"""The explicit matcher: finds named campaigns in a text, with evidence offsets.

Names, aliases and name-like key phrases of the taxonomy become token patterns
(:mod:`pipeline.campaigns.tokens`), looked up at every token of the folded text. Where
matches overlap, the longest wins (campaigns.md: a mention of ``Toàn dân đoàn kết xây
dựng nông thôn mới, đô thị văn minh`` is not also one of ``xây dựng nông thôn mới``).
A shortened name after a campaign word is found too: ``cuộc vận động tự tin, tự
trọng…`` names the campaign whose name starts so, when only one does.

>>> from pipeline.campaigns.taxonomy import load_taxonomy
>>> m = Matcher(load_taxonomy())
>>> [(x.campaign_id, x.evidence) for x in m.find("Thực hiện CVĐ “5 không, 3 sạch”.")]
[('xay_dung_gia_dinh_5_khong_3_sach', 'CVĐ “5 không, 3 sạch”')]
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline.campaigns.taxonomy import Taxonomy
from pipeline.campaigns.tokens import (
    ABBREVIATIONS,
    BOUNDARY,
    Token,
    fast_fold,
    fold_and_lower,
    folded_items,
    forms,
    match_tokens,
    same_word,
    segments,
    tokens_between,
)

NAME, KEY_PHRASE, SHORTENED = 3, 2, 1  # priorities: a name beats a key phrase of equal length
# Words that introduce a campaign name; a shortened name must follow one of them.
_TRIGGERS = tuple(
    forms(t)
    for t in (
        "phong trào thi đua",
        "phong trào",
        "cuộc vận động",
        "chương trình",
        "đề án",
        "dự án",
        "mô hình",
        "chiến dịch",
        "thi đua",
    )
)
_TRIGGERS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _t in _TRIGGERS:  # in order: the first trigger that fits is the one taken
    _TRIGGERS_BY_FIRST.setdefault(_t[0], []).append(_t)
_MIN_SHORT = 3  # tokens of a shortened name
_ELLIPSIS = re.compile(r"\s*[”\"']?\s*(…|\.\.\.)")
_CODE_AFTER = re.compile(r"[/\-.][^\W_]")  # "05/CT-UBND" after a pattern ending in "05"


def _written_as_name(tokens: list[Token], i: int, text: str) -> bool:
    """Whether the words at ``tokens[i]`` are written as a name: quoted, capitalised
    inside a sentence, or after a campaign word (``mô hình Địa chỉ tin cậy``)."""
    start = tokens[i].start
    before = text[max(0, start - 2) : start]
    if any(q in before for q in "“\"'«‘"):
        return True
    prev = [t.form for t in tokens[max(0, i - 4) : i]]
    if any(tuple(prev[-len(t) :]) == t for t in _TRIGGERS):
        return True
    at_sentence_start = i == 0 or tokens[i - 1].form == BOUNDARY
    return text[start].isupper() and not at_sentence_start


_QUOTES = {"“": "”", "«": "»", "‘": "’", '"': '"'}


def _close_quote(text: str, start: int, end: int) -> int:
    """Take the closing quote into the evidence when the opening one is in it.

    >>> t = "CVĐ “5 không, 3 sạch” năm"
    >>> t[: _close_quote(t, 0, 20)]
    'CVĐ “5 không, 3 sạch”'
    """
    span = text[start:end]
    for open_q, close_q in _QUOTES.items():
        if open_q == close_q:
            unbalanced = span.count(open_q) % 2 == 1
        else:
            unbalanced = span.count(open_q) > span.count(close_q)
        if unbalanced and text[end : end + 1] == close_q:
            return end + 1
    return end


@dataclass(frozen=True, slots=True)
class Mention:
    """A campaign named in the text: ``text[start:end] == evidence``."""

    campaign_id: str
    start: int
    end: int
    evidence: str
    kind: str  # name | key_phrase | shortened


def _pairs(words: tuple[str, ...] | list[str]) -> frozenset[tuple[str, ...]]:
    """The pairs of neighbouring words; a single word stands alone.

    >>> sorted(_pairs(("mua", "he", "xanh"))), sorted(_pairs(("tet",)))
    ([('he', 'xanh'), ('mua', 'he')], [('tet',)])
    """
    if len(words) == 1:
        return frozenset({(words[0],)})
    return frozenset(itertools.pairwise(words))


def _anchor(need: frozenset[tuple[str, ...]], shared: Counter[tuple[str, ...]]) -> tuple[str, ...]:
    """The pair a pattern is indexed by: the one fewest patterns have, then the longest
    (likely the rarest in a text), then the first.

    >>> _anchor(frozenset({("mua", "he"), ("he", "xanh")}), Counter({("he", "xanh"): 2}))
    ('mua', 'he')
    """
    return min(need, key=lambda p: (shared[p], -sum(map(len, p)), p))


def _places(items: list[str], item: str) -> list[int]:
    """Where ``item`` is in ``items``.

    >>> _places(["so", "a", "so"], "so"), _places(["a"], "so")
    ([0, 2], [])
    """
    out = []
    try:
        i = items.index(item)
        while True:
            out.append(i)
            i = items.index(item, i + 1)
    except ValueError:
        return out


def _strip_trigger(f: tuple[str, ...]) -> tuple[str, ...]:
    for t in _TRIGGERS:
        if f[: len(t)] == t and len(f) > len(t):
            return f[len(t) :]
    return f


class Matcher:
    """Finds explicit campaign mentions; build once per taxonomy, then call :meth:`find`."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        best: dict[tuple[str, ...], tuple[int, set[str]]] = {}
        self._words: dict[tuple[str, ...], list[list[Token]]] = defaultdict(list)
        self.name_only: set[tuple[str, ...]] = {forms(n) for c in taxonomy for n in c.name_only}
        for c in taxonomy:
            for text, prio in [(a, NAME) for a in c.aliases] + [
                (k, KEY_PHRASE) for k in c.key_phrases
            ]:
                toks = [t for t in match_tokens(text) if t.form != BOUNDARY]
                f = tuple(t.form for t in toks)
                if not f:
                    continue
                self._words[f].append(toks)
                old_prio, ids = best.get(f, (0, set()))
                if prio > old_prio:
                    best[f] = (prio, {c.id})
                elif prio == old_prio:
                    ids.add(c.id)
        self.patterns = best
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for f in best:
            if len(f) not in self._lengths[f[0]]:
                self._lengths[f[0]].append(len(f))
        for lens in self._lengths.values():
            lens.sort(reverse=True)
        # prefixes (after a campaign word) of names, for shortened mentions
        self._prefixes: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self._full: dict[str, int] = {}
        for f, (prio, ids) in best.items():
            if prio != NAME:
                continue
            core = _strip_trigger(f)
            for n in range(_MIN_SHORT, len(core) + 1):
                for cid in ids:
                    self._prefixes[core[:n]].add(cid)
        # the prefilter: the pairs of neighbouring words a text must hold for a pattern (or
        # the start of a name, for a shortened one) to match, indexed by one of the pairs
        needs = [_pairs(f) for f in best]
        short = [_pairs(k) for k in self._prefixes if len(k) == _MIN_SHORT]
        shared = Counter(p for need in needs + short for p in need)
        self._needs: dict[tuple[str, ...], list[frozenset[tuple[str, ...]]]] = defaultdict(list)
        for need in needs:
            self._needs[_anchor(need, shared)].append(need)
        self._short_needs: dict[tuple[str, ...], list[frozenset[tuple[str, ...]]]] = defaultdict(
            list
        )
        for need in short:
            self._short_needs[_anchor(need, shared)].append(need)
        self._abbreviations = {fast_fold(a): w for a, w in ABBREVIATIONS.items() if "&" not in a}
        self._single_words = {k[0] for k in self._needs if len(k) == 1}
        self._abbr_items = re.compile(
            "(?<=\x00)(" + "|".join(map(re.escape, self._abbreviations)) + ")(?=\x00)"
        )

    def _expand_item(self, m: re.Match[str]) -> str:
        return "\x00".join(self._abbreviations[m.group()])

    def may_match(self, text: str, ellipsis: bool | None = None) -> bool:
        """False when ``text`` cannot hold a mention: for no pattern are all its pairs of
        neighbouring words neighbours among the text's folded words too (for a shortened
        name: those of a name's start, and there must be an ellipsis). Abbreviations count
        both as written and as the words they stand for, ``số`` both kept and dropped: a
        superset of what :func:`~pipeline.campaigns.tokens.match_tokens` makes, so
        :meth:`find`, which runs the matcher only where this is True, finds the same.
        ``ellipsis``: whether the ellipsis a shortened name needs may follow (by default:
        whether ``text`` holds one; a stretch of a text asks about the rest of the text).

        >>> from pipeline.campaigns.taxonomy import load_taxonomy
        >>> m = Matcher(load_taxonomy())
        >>> m.may_match("Giá vàng tăng mạnh."), m.may_match("Hưởng ứng Tháng Công nhân")
        (False, True)
        >>> m.may_match("Công nhân dự lễ tháng này"), m.may_match("tháng - công: nhân")
        (False, True)
        """
        if "TK&VV" in text:
            return True
        if ellipsis is None:
            ellipsis = "…" in text or "..." in text
        return self._may_match_items(folded_items(text), ellipsis)

    def _may_match_items(self, words: list[str], ellipsis: bool) -> bool:
        """:meth:`may_match` on the folded items of a text (boundaries are ``"|"``)."""
        return bool(self._hits(words, ellipsis))

    def _hits(self, words: list[str], ellipsis: bool) -> set[frozenset[tuple[str, ...]]]:
        """The pair sets (needs) of the patterns the items may hold."""
        pairs: set[tuple[str, ...]] = set(itertools.pairwise(words))
        singles = self._single_words.intersection(words)
        abbr = self._abbreviations
        present = abbr.keys() & words
        if present:  # the pairs the words make with the abbreviations expanded: those new
            for a in present:  # are in the expansions and where they meet their neighbours
                singles.update(self._single_words.intersection(abbr[a]))
                for i in _places(words, a):
                    near = words[max(0, i - 1) : i + 2]
                    pairs.update(itertools.pairwise([x for w in near for x in abbr.get(w, (w,))]))
        if "so" in words:  # "chỉ thị số 05" is "chỉ thị 05" too
            last = len(words) - 1
            pairs.update((words[i - 1], words[i + 1]) for i in _places(words, "so") if 0 < i < last)
        pairs.update((w,) for w in singles)
        hits = {n for k in self._needs.keys() & pairs for n in self._needs[k] if n <= pairs}
        if ellipsis:
            short = self._short_needs
            hits.update(n for k in short.keys() & pairs for n in short[k] if n <= pairs)
        return hits

    def find(self, text: str, normalized: bool = False) -> list[Mention]:
        """All explicit mentions in ``text``, in text order, overlaps resolved.
        ``normalized``: the tone marks are already normalised (``Article.text``).

        >>> from pipeline.campaigns.taxonomy import load_taxonomy
        >>> m = Matcher(load_taxonomy())
        >>> t = "Cuộc vận động Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh"
        >>> [x.campaign_id for x in m.find(t)]
        ['toan_dan_doan_ket_xay_dung_nong_thon_moi_do_thi_van_minh']
        >>> [x.evidence for x in m.find("hưởng ứng cuộc vận động tự tin, tự trọng… của Hội")]
        ['cuộc vận động tự tin, tự trọng…']
        """
        if "TK&VV" in text:  # the prefilter does not judge it: the whole text, as it is
            return self._resolve(match_tokens(text, normalized=normalized), text)
        items = folded_items(text)
        ellipsis = "…" in text or "..." in text
        hits = self._hits(items, ellipsis)
        if not hits:
            return []
        pieces = "\x00".join(items).split(BOUNDARY)  # the items of each stretch
        if len(pieces) == 1:
            return self._resolve(match_tokens(text, normalized=normalized), text)
        # normalised text: each stretch is folded alone (tone marks would be put right over
        # the whole text at once, as match_tokens does)
        folded, words = ("", "") if normalized else fold_and_lower(text)
        stretches = self._stretches(items, hits)
        out = []
        for j, ((s, e), piece) in enumerate(zip(segments(text), pieces, strict=False)):
            # no pattern spans a boundary: match the stretches that may hold one
            if j not in stretches:
                continue
            if not self._may_match_items(piece.split("\x00"), ellipsis):
                continue
            if normalized:
                f, w = fold_and_lower(text[s:e], normalized=True)
                tokens = tokens_between(text, f, w, s, e, base=s)
            else:
                tokens = tokens_between(text, folded, words, s, e)
            out.extend(self._resolve(tokens, text))
        return out

    def _stretches(self, items: list[str], hits: set[frozenset[tuple[str, ...]]]) -> set[int]:
        """The stretches (numbered by the boundaries before them) that hold, as substrings,
        all the pairs of some pattern the whole text may hold (``hits``): in the items as
        written, with ``số`` dropped or with the abbreviations expanded (as :meth:`_hits`
        counts them). Each pair is looked for once over the whole text, its places then
        told apart by the boundaries before them.

        >>> from pipeline.campaigns.taxonomy import load_taxonomy
        >>> m = Matcher(load_taxonomy())
        >>> items = ["mua", "he", "|", "xanh", "|", "mua", "he", "xanh"]
        >>> sorted(m._stretches(items, m._hits(items, False)))
        [2]
        """
        marks = [["\x00" + "\x00".join(p) + "\x00" for p in need] for need in hits]
        whole = "\x00" + "\x00".join(items) + "\x00"
        views = [whole]
        if "so" in items:
            views.append(whole.replace("\x00so\x00", "\x00"))
        if not self._abbreviations.keys().isdisjoint(items):
            views.append(self._abbr_items.sub(self._expand_item, whole))
        found: dict[int, set[str]] = defaultdict(set)  # stretch -> the marks in it
        wanted = {m for ms in marks for m in ms}
        for view in views:
            bars = []  # where the boundaries are
            i = view.find(BOUNDARY)
            while i >= 0:
                bars.append(i)
                i = view.find(BOUNDARY, i + 1)
            for mark in wanted:
                i = view.find(mark)
                while i >= 0:
                    found[bisect.bisect_left(bars, i)].add(mark)
                    i = view.find(mark, i + 1)
        return {j for j, got in found.items() if any(got.issuperset(ms) for ms in marks)}

    def _resolve(self, tokens: list[Token], text: str) -> list[Mention]:
        """The mentions among ``tokens``: candidates, then overlaps resolved."""
        cands = self._candidates(tokens, text) + self._shortened(tokens, text)
        cands.sort(key=lambda c: (-(c[1] - c[0]), -c[3], c[0], c[2]))
        kept: list[tuple[int, int, str, int]] = []
        for cand in cands:
            s, e = cand[0], cand[1]
            if any(s < ke and ks < e and (s, e) != (ks, ke) for ks, ke, _, _ in kept):
                continue
            if any((s, e, cand[2]) == (ks, ke, kc) for ks, ke, kc, _ in kept):
                continue
            kept.append(cand)
        kept.sort(key=lambda c: (c[0], c[2]))
        out = []
        for s, e, cid, prio in kept:
            start, end = tokens[s].start, tokens[e - 1].end
            if prio == SHORTENED:
                ell = _ELLIPSIS.match(text, end)
                if ell:
                    end = ell.end()
            end = _close_quote(text, start, end)
            kind = {NAME: "name", KEY_PHRASE: "key_phrase", SHORTENED: "shortened"}[prio]
            out.append(Mention(cid, start, end, text[start:end], kind))
        return out

    def _candidates(self, tokens: list[Token], text: str) -> list[tuple[int, int, str, int]]:
        forms_ = [t.form for t in tokens]
        out: list[tuple[int, int, str, int]] = []
        for i, first in enumerate(forms_):
            for n in self._lengths.get(first, ()):
                if i + n > len(forms_):
                    continue
                hit = self.patterns.get(tuple(forms_[i : i + n]))
                if hit is None:
                    continue
                if forms_[i + n - 1].isdigit() and _CODE_AFTER.match(text, tokens[i + n - 1].end):
                    continue  # "Chỉ thị 05/CT-UBND" is another directive numbered 05
                if i + n < len(tokens) and tokens[i + n].start == tokens[i + n - 1].start:
                    continue  # the pattern ends inside an expanded abbreviation
                if i > 0 and tokens[i - 1].start == tokens[i].start:
                    continue  # … or starts inside one
                if not self._spelled_alike(tokens[i : i + n], text):
                    continue  # "thằng thanh niên" is not "Tháng Thanh niên"
                if tuple(forms_[i : i + n]) in self.name_only and not _written_as_name(
                    tokens, i, text
                ):
                    continue  # "trở thành địa chỉ tin cậy" is not the model
                prio, ids = hit
                out.extend((i, i + n, cid, prio) for cid in ids)
        return out

    def _spelled_alike(self, span: list[Token], text: str) -> bool:
        """The span spells a pattern with its diacritics, allowing one slip in four words
        (``đạo dức``); a text written without any diacritics is taken as it is."""
        if text[span[0].start : span[-1].end].isascii():
            return True
        allowed = len(span) // 4
        for variant in self._words[tuple(t.form for t in span)]:
            if sum(not same_word(a, b) for a, b in zip(variant, span, strict=True)) <= allowed:
                return True
        return False

    def _shortened(self, tokens: list[Token], text: str) -> list[tuple[int, int, str, int]]:
        if "…" not in text and "..." not in text:
            return []  # a shortened name ends in an ellipsis
        forms_ = [t.form for t in tokens]
        out: list[tuple[int, int, str, int]] = []
        for i in range(len(forms_)):
            for trig in _TRIGGERS_BY_FIRST.get(forms_[i], ()):
                j = i + len(trig)
                if tuple(forms_[i:j]) != trig:
                    continue
                best = None
                k = j + _MIN_SHORT
                while k <= len(forms_) and BOUNDARY not in forms_[k - 1 : k]:
                    ids = self._prefixes.get(tuple(forms_[j:k]))
                    if not ids:
                        break
                    if len(ids) == 1:
                        best = (k, next(iter(ids)))
                    k += 1
                if best and _ELLIPSIS.match(text, tokens[best[0] - 1].end):
                    out.append((i, best[0], best[1], SHORTENED))
                break
        return out
