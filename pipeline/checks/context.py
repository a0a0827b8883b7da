"""Where claims stand in their article: same sentence, paragraph, the words between them.

Claims point into ``Article.text`` by ``start``/``end``; their sentence by
``sentence_start``/``sentence_end``. When the article text is not at hand the sentence is
enough for claims of the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.checks.model import ArticleMeta
from pipeline.text.normalize import fold
from pipeline.types import Claim


class ArticleContext:
    """An article's claims in text order, with the text around them.

    >>> from pipeline.types import Claim
    >>> text = "T\\n\\nCó 748/1.711 chi hội, chiếm hơn 43%."
    >>> a = Claim("x", text[3:], "748/1.711 chi hội", 6, 23, 748, "ratio", "reported", "exact",
    ...           denominator=1711, sentence_start=3, sentence_end=len(text))
    >>> b = Claim("x", text[3:], "hơn 43%", 31, 38, 43, "percent", "reported", "more_than",
    ...           sentence_start=3, sentence_end=len(text))
    >>> ctx = ArticleContext([b, a], ArticleMeta("x", text))
    >>> ctx.gap(a, b), ctx.adjacent(a, b), ctx.paragraph(a)
    (', chiếm ', True, 1)
    """

    def __init__(self, claims: Sequence[Claim], meta: ArticleMeta | None) -> None:
        self.claims = sorted(claims, key=lambda c: (c.start, c.end))
        self.meta = meta
        self.text = meta.text if meta else ""
        self._order = {id(c): i for i, c in enumerate(self.claims)}

    def same_sentence(self, a: Claim, b: Claim) -> bool:
        if a.sentence_end and b.sentence_end:
            return (a.sentence_start, a.sentence_end) == (b.sentence_start, b.sentence_end)
        return a.sentence == b.sentence

    def _slice(self, a: Claim, start: int, end: int) -> str:
        if self.text and end <= len(self.text):
            return self.text[start:end]
        if a.sentence_end:
            off = a.sentence_start
            return a.sentence[max(0, start - off) : max(0, end - off)]
        return ""

    def gap(self, a: Claim, b: Claim) -> str:
        """The text between claim ``a`` and a later claim ``b`` of the same sentence."""
        if a.end > b.start or not self.same_sentence(a, b):
            return ""
        return self._slice(a, a.end, b.start)

    def before(self, a: Claim, width: int = 120) -> str:
        """The text of ``a``'s sentence before it (at most ``width`` characters)."""
        start = max(a.sentence_start if a.sentence_end else a.start - width, a.start - width)
        return self._slice(a, start, a.start)

    def after(self, a: Claim, width: int = 80) -> str:
        """The text of ``a``'s sentence after it (at most ``width`` characters)."""
        end = min(a.sentence_end if a.sentence_end else a.end + width, a.end + width)
        return self._slice(a, a.end, end)

    def adjacent(self, a: Claim, b: Claim, max_gap: int = 80) -> bool:
        """``a`` comes before ``b`` in the same sentence, with no claim between them."""
        if not self.same_sentence(a, b) or a.end > b.start or b.start - a.end > max_gap:
            return False
        i, j = self._order[id(a)], self._order[id(b)]
        return all(not (a.end <= c.start and c.end <= b.start) for c in self.claims[i + 1 : j])

    def between(self, a: Claim, b: Claim) -> list[Claim]:
        """Claims that lie wholly between ``a`` and ``b``."""
        i, j = self._order[id(a)], self._order[id(b)]
        return [c for c in self.claims[i + 1 : j] if a.end <= c.start and c.end <= b.start]

    def paragraph(self, a: Claim) -> int | None:
        """Index of the line ``a`` is on (None without the article text)."""
        if not self.text:
            return None
        return self.text.count("\n", 0, a.start) - self.text.count("\n\n", 0, a.start)

    def in_title(self, a: Claim) -> bool:
        """Whether ``a`` is in the article's title."""
        if not self.meta or not self.meta.title:
            return False
        n = len(self.meta.title)
        return self.text.startswith(self.meta.title) and a.end <= n


def has_cue(text: str, cues: Sequence[str]) -> bool:
    """Whether a folded cue occurs in ``text`` as whole words.

    >>> has_cue("đã vượt chỉ tiêu,", ["vuot chi tieu"]), has_cue("tầng", ["tang"])
    (True, True)
    >>> has_cue("tăng cường", ["tang truong"])
    False
    """
    f = " ".join(re.findall(r"\w+|[(/=]", fold(text)))
    return any(re.search(r"(?<!\w)" + re.escape(c) + r"(?!\w)", f) for c in cues)
