"""The layout of plain-text articles (``.txt``), as the seed article is written.

Rules, in order:

1. An optional front-matter header: a first line ``---``, then ``key: value`` lines
   (YAML), then ``---``. Keys ``id``, ``url``, ``title``, ``published``, ``author``,
   ``outlet`` override what the layout rules find.
2. The first non-empty line is the title (unless front matter gives one).
3. A line holding only a date (``06/01/2022``, ``6-1-2022``, ``2022-01-06``, optionally
   with a time) right after the title is the published date, not body.
4. Trailing furniture: walking back from the end, short lines (≤ 80 characters, ≤ 12
   words) without final punctuation (. ! ? … : ; ” " ») are byline and page furniture
   (``Ban TG - CSLP Hội LHPN tỉnh Lạng Sơn``, ``TÂM ĐIỂM``, ``Video``), not body. The
   furthest such line from the end that follows the last paragraph is the byline. A line
   with final punctuation, or a long line, stops the walk.
5. Everything else, as written (line breaks kept), is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

_DATE_LINE = re.compile(
    r"^\s*(?:(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<Y>\d{4})-(?P<M>\d{1,2})-(?P<D>\d{1,2}))"
    r"(?:[ T,]+\d{1,2}[:h]\d{2}(?::\d{2})?)?\s*$"
)
_FINAL_PUNCT = tuple('.!?…:;”"»)')
_FRONT_KEYS = {"id", "url", "title", "published", "author", "outlet", "canonical_url"}


@dataclass(frozen=True, slots=True)
class TxtLayout:
    title: str | None
    published: str | None
    body: str
    byline: str | None
    furniture: tuple[str, ...]
    meta: dict[str, str]


def parse_date_line(line: str) -> str | None:
    """ISO date of a line that holds only a date, else None.

    >>> parse_date_line("06/01/2022"), parse_date_line(" 2022-01-06 08:30 "), parse_date_line("Hôm nay")
    ('2022-01-06', '2022-01-06', None)
    >>> parse_date_line("31/02/2022") is None
    True
    """
    m = _DATE_LINE.match(line)
    if not m:
        return None
    try:
        if m.group("y"):
            d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        else:
            d = date(int(m.group("Y")), int(m.group("M")), int(m.group("D")))
    except ValueError:
        return None
    return d.isoformat()


def _is_furniture(line: str) -> bool:
    s = line.strip()
    return len(s) <= 80 and len(s.split()) <= 12 and not s.endswith(_FINAL_PUNCT)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    try:
        data = yaml.safe_load(text[4:end])
    except yaml.YAMLError as exc:
        raise ValueError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        return {}, text
    rest = text[end + 4 :]
    rest = rest[1:] if rest.startswith("\n") else rest
    meta = {str(k): str(v) for k, v in data.items() if k in _FRONT_KEYS and v is not None}
    return meta, rest


def parse_txt(text: str) -> TxtLayout:
    """Split a plain-text article into title, date, body, byline and furniture.

    >>> t = "Tiêu đề bài\\n\\n06/01/2022\\nĐoạn một có 3 câu.\\n\\nĐoạn hai.\\n\\nBan Tuyên giáo\\n\\nVideo"
    >>> layout = parse_txt(t)
    >>> layout.title, layout.published, layout.body, layout.byline, layout.furniture
    ('Tiêu đề bài', '2022-01-06', 'Đoạn một có 3 câu.\\n\\nĐoạn hai.', 'Ban Tuyên giáo', ('Video',))
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, text = _front_matter(text)
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    title = meta.get("title")
    if title is None and i < len(lines):
        title = lines[i].strip()
        i += 1
    published = meta.get("published")
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines):
        found = parse_date_line(lines[j])
        if found:
            published = published or found
            i = j + 1
    body_lines = lines[i:]
    # Trailing furniture, walking back from the end.
    k = len(body_lines)
    trailing: list[str] = []
    while k > 0:
        line = body_lines[k - 1]
        if not line.strip():
            k -= 1
            continue
        if not _is_furniture(line):
            break
        trailing.append(line.strip())
        k -= 1
    # Keep at least one body line: a short article is not all furniture.
    if trailing and not any(x.strip() for x in body_lines[:k]):
        trailing.pop()
        k += 1
        while k < len(body_lines) and not body_lines[k - 1].strip():
            k += 1
    trailing.reverse()
    byline = trailing[0] if trailing else None
    furniture = tuple(trailing[1:])
    body = "\n".join(body_lines[:k]).strip("\n")
    # strip trailing white space of the last line only, keep inner text as written
    body = body.rstrip()
    while body.startswith("\n"):
        body = body[1:]
    return TxtLayout(
        title=title or None,
        published=published,
        body=body,
        byline=byline,
        furniture=furniture,
        meta=meta,
    )
