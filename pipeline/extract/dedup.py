"""Near-duplicate articles (syndicated copies across outlets), to link, never to drop.

Texts become sets of word shingles (runs of ``k`` syllables, lowercased; tone marks are
kept, since they carry meaning in Vietnamese). MinHash signatures in a
datasketch LSH index find candidates cheaply; each candidate is then checked exactly by
*containment*, ``|A ∩ B| / min(|A|, |B|)``, so a trimmed copy (the first half of an
article republished elsewhere) still links to the full one.

>>> index = NearDuplicateIndex()
>>> text = ("Sáng 6/1, Hội Liên hiệp Phụ nữ tỉnh Lạng Sơn tổ chức hội nghị tổng kết công tác "
...         "năm 2021, triển khai nhiệm vụ năm 2022. Năm qua, các cấp Hội đã vận động 12.000 "
...         "hội viên tham gia các mô hình sinh kế, giúp 1.500 hộ thoát nghèo.")
>>> index.add("a", text)
[]
>>> index.add("b", "Lạng Sơn: " + text.upper().lower())
['a']
>>> index.add("c", "Giá vàng hôm nay tăng mạnh sau phiên giao dịch cuối tuần tại thị trường thế giới.")
[]
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = 5) -> set[int]:
    """64-bit hashes of the ``k``-word shingles of a text (lowercased, NFC).

    >>> len(shingles("một hai ba bốn năm sáu", k=5))
    2
    >>> len(shingles("ngắn", k=5))
    1
    """
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if not words:
        return set()
    if len(words) < k:
        grams = [" ".join(words)]
    else:
        grams = [" ".join(words[i : i + k]) for i in range(len(words) - k + 1)]
    return {
        int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams
    }


def _low32(value: int) -> int:
    """The shingle hashes are already uniform: MinHash needs only 32 bits of them."""
    return value & 0xFFFFFFFF


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger one.

    >>> containment({1, 2, 3, 4}, {1, 2})
    1.0
    """
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class NearDuplicateIndex:
    """Add ``(id, text)`` pairs; each ``add`` returns the ids the new text near-duplicates.

    ``threshold`` is the containment above which two texts are copies of one article;
    ``candidate_threshold`` is the (lower) MinHash Jaccard level at which LSH proposes a
    pair for the exact check. Texts with fewer than ``min_shingles`` shingles are too
    short to judge and are never linked.
    """

    def __init__(
        self,
        threshold: float = 0.7,
        *,
        k: int = 5,
        num_perm: int = 128,
        candidate_threshold: float = 0.2,
        min_shingles: int = 10,
    ) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.k = k
        self.num_perm = num_perm
        self.min_shingles = min_shingles
        self._lsh = MinHashLSH(threshold=candidate_threshold, num_perm=num_perm)
        self._sets: dict[str, set[int]] = {}
        template = MinHash(num_perm=num_perm)  # permutations are made once, then reused
        self._permutations, self._scheme = template.permutations, template.scheme

    def __len__(self) -> int:
        return len(self._sets)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._sets

    def _minhash(self, items: Iterable[int]) -> MinHash:
        m = MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme=self._scheme)
        m.update_batch([i.to_bytes(8, "big") for i in items])
        return m

    def query(self, text: str) -> list[str]:
        """Ids already indexed that the text near-duplicates, best match first."""
        return [doc_id for doc_id, _ in self._matches(shingles(text, self.k))]

    def _matches(self, sh: set[int], mh: MinHash | None = None) -> list[tuple[str, float]]:
        if len(sh) < self.min_shingles or not self._sets:
            return []
        scored = []
        for doc_id in self._lsh.query(mh if mh is not None else self._minhash(sh)):
            score = containment(sh, self._sets[doc_id])
            if score >= self.threshold:
                scored.append((doc_id, score))
        return sorted(scored, key=lambda pair: (-pair[1], pair[0]))

    def add(self, doc_id: str, text: str) -> list[str]:
        """Index a text; return the ids of earlier texts it near-duplicates."""
        if doc_id in self._sets:
            raise ValueError(f"id {doc_id!r} is already in the index")
        sh = shingles(text, self.k)
        mh = self._minhash(sh) if len(sh) >= self.min_shingles else None
        found = [i for i, _ in self._matches(sh, mh)]
        self._sets[doc_id] = sh
        if mh is not None:
            self._lsh.insert(doc_id, mh)
        return found
