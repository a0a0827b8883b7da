"""Word-segmentation scoring: F1 of word spans over characters.

A word is the character span it covers in the sentence; a predicted word counts when a
gold word has exactly the same span.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipeline.nlp.tokenizer import AlignmentError, align_words


def word_spans(text: str, words: Sequence[str]) -> set[tuple[int, int]]:
    """Spans of ``words`` in ``text``; empty when they cannot be aligned.

    >>> sorted(word_spans("hồ sơ , trong", ["hồ sơ", ",", "trong"]))
    [(0, 5), (6, 7), (8, 13)]
    """
    try:
        return set(align_words(text, list(words)))
    except AlignmentError:
        return set()


def span_f1(pairs: Iterable[tuple[set[tuple[int, int]], set[tuple[int, int]]]]) -> float:
    """Micro F1 over (gold spans, predicted spans) pairs.

    >>> span_f1([({(0, 5), (6, 7)}, {(0, 2), (3, 5), (6, 7)})])
    0.4
    """
    tp = npred = ngold = 0
    for gold, pred in pairs:
        tp += len(gold & pred)
        npred += len(pred)
        ngold += len(gold)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return round(2 * p * r / (p + r), 4) if p + r else 0.0
