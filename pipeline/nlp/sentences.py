"""Paragraph-aware sentence splitting.

underthesea's ``sent_tokenize`` does not split at line breaks, so a title, a date line or a
one-sentence-per-line source would be glued to the next sentence. Here every non-empty line
is a paragraph of its own (the title is the first), ``sent_tokenize`` splits inside each
line, and every sentence is aligned back onto the text: ``sentence.text ==
text[sentence.start:sentence.end]`` always.
"""

from __future__ import annotations

import re

from underthesea import sent_tokenize

from pipeline.types import Sentence

_LINE = re.compile(r"[^\n]+")
# Sentence ends never fall inside a URL, an e-mail address or a domain name.
_UNBREAKABLE = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _merge_inside(line: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences whose boundary falls inside an unbreakable stretch (URL, e-mail).

    >>> _merge_inside("Xem www.a.vn. Hay", [(0, 9), (10, 17)])
    [(0, 17)]
    """
    keep = [(m.start(), m.end()) for m in _UNBREAKABLE.finditer(line)]
    if not keep:
        return spans
    out = [spans[0]]
    for s, e in spans[1:]:
        ps, pe = out[-1]
        if any(a < pe and s < b for a, b in keep):
            out[-1] = (ps, e)
        else:
            out.append((s, e))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of the non-empty lines of a text, stripped of surrounding white space.

    >>> paragraphs("Tiêu đề\\n\\n  Dòng một. \\nDòng hai")
    [(0, 7), (11, 20), (22, 30)]
    """
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if e - trail > s + lead:
            out.append((s + lead, e - trail))
    return out


def _align(line: str, pieces: list[str]) -> list[tuple[int, int]] | None:
    """Offsets of ``pieces`` in ``line``, allowing white-space differences; None if lost.

    >>> _align("Câu  một. Hai ba.", ["Câu một.", "Hai ba."])
    [(0, 9), (10, 17)]
    >>> _align("Câu một. Hai", ["Câu một.", "Ba"]) is None
    True
    """
    spans = []
    pos = 0
    for piece in pieces:
        # fast path: the piece as written, after white space only (sent_tokenize returns
        # stripped slices of the line, so this is the usual case and gives the same span
        # as the word by word search below)
        idx = line.find(piece, pos) if piece and not piece[0].isspace() else -1
        if idx >= 0 and not line[pos:idx].strip() and not piece[-1].isspace():
            spans.append((idx, idx + len(piece)))
            pos = idx + len(piece)
            continue
        words = piece.split()
        if not words:
            continue
        start = None
        for w in words:
            idx = line.find(w, pos)
            if idx < 0 or (start is not None and line[pos:idx].strip()):
                return None
            if start is None:
                if line[pos:idx].strip():
                    return None
                start = idx
            pos = idx + len(w)
        assert start is not None
        spans.append((start, pos))
    if line[pos:].strip():
        return None
    return spans


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """Sentences of a text, paragraph by paragraph.

    >>> [s.text for s in split_sentences("a", "Tiêu đề\\n\\n06/01/2022\\nCâu một. Câu hai.")]
    ['Tiêu đề', '06/01/2022', 'Câu một.', 'Câu hai.']
    >>> [(s.paragraph, s.start, s.end) for s in split_sentences("a", "Tốt.\\nCó mưa. Trời lạnh.")]
    [(0, 0, 4), (1, 5, 12), (1, 13, 23)]
    """
    out: list[Sentence] = []
    for p_index, (ps, pe) in enumerate(paragraphs(text)):
        line = text[ps:pe]
        spans = _align(line, sent_tokenize(line)) if len(line) > 1 else None
        if not spans:
            spans = [(0, len(line))]
        spans = _merge_inside(line, spans)
        for s, e in spans:
            out.append(
                Sentence(article_id, len(out), p_index, ps + s, ps + e, text[ps + s : ps + e])
            )
    return out
