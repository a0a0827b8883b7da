"""A draft (what a batch sends its workers) finishes as the article ``make_article`` makes,
and refuses the inputs it refuses, with the same error."""

from __future__ import annotations

import pytest

from pipeline.io.article import InputError, draft_article, make_article

BODIES = [
    "Có\u00a03.400 người.",
    "“Hoà bình”, uỷ ban.",
    "\u200b\u200bCó 5 hộ.",  # invisible first: normalised at once
    "  \u200b x",
    "\u00a0Ð",
    "– 12 người",
    "\u200b\u200b",  # blank once normalised
    "\ufeff\u00a0 \u200d",
    "\u2060",
    "   ",
]


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("title", [None, "Hoà  bình", "\u200b"])
def test_draft_finishes_as_make_article(body: str, title: str | None) -> None:
    kw = {"body": body, "title": title, "url": "http://x/1", "published": "2022-01-06"}
    try:
        article = make_article(**kw)
    except InputError as exc:
        with pytest.raises(InputError) as caught:
            draft_article(**kw)
        assert (caught.value.error_type, str(caught.value)) == (exc.error_type, str(exc))
        return
    draft = draft_article(**kw)
    assert draft.finish() == article
    assert draft.raw_text == article.raw_text and draft.id == article.id
