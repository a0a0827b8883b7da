"""Claim search: safe FTS5 queries over folded text, highlighting, and the named queries.

The pure parts (:func:`fts_match`, :func:`highlight_spans`, :func:`mark`, :func:`date_start`,
:func:`date_end`) never see SQL; :func:`register_functions` makes them SQL functions so the
queries of ``queries.yaml`` run the same under ``pipeline claims`` and under Datasette.
User text reaches SQLite only as bound parameters and, for FTS5, only as quoted folded
tokens: operators, quotes and SQL in a query are searched for as words or dropped.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.query.provinces import province_filter
from pipeline.text.normalize import fold, fold_query

QUERIES_FILE = Path(__file__).with_name("queries.yaml")
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
_TOKEN = re.compile(r"[^\W_]+")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class SearchError(ValueError):
    """The search cannot run as asked; the message says why, in the user's terms."""


def query_terms(query: str | None) -> list[list[str]]:
    """The folded words of a query: one list of tokens per white-space separated word
    (``3.400`` is one word of two tokens, searched as a phrase).

    >>> query_terms('KẾT NẠP "Đảng" 3.400 OR*')
    [['ket'], ['nap'], ['dang'], ['3', '400'], ['or']]
    >>> query_terms("  ( ) ^ : - ")
    []
    """
    out = []
    for word in fold_query(query or "").split():
        tokens = _TOKEN.findall(word)
        if tokens:
            out.append(tokens)
    return out


def fts_match(query: str | None) -> str:
    """An FTS5 MATCH expression that finds rows containing every word of ``query``.

    Every token is double-quoted, so FTS5 syntax in the query (``AND OR NOT NEAR * ^ :
    ( ) -`` and quotes) is searched for as plain words or dropped, never interpreted.
    A query without words gives ``'""'``, which matches nothing.

    >>> fts_match("Kết nạp ĐẢNG")
    '"ket" "nap" "dang"'
    >>> fts_match('hơn 3.400 NEAR(a b) title_folded:x "')
    '"hon" "3 400" "near a" "b" "title folded x"'
    >>> fts_match("*:^")
    '""'
    """
    phrases = ['"' + " ".join(tokens) + '"' for tokens in query_terms(query)]
    return " ".join(phrases) or '""'


def highlight_spans(text: str | None, query: str | None) -> list[tuple[int, int]]:
    """Offsets in ``text`` of the words that match a word of ``query`` (folded, so
    ``Đảng`` matches ``dang``); neighbouring matches separated by spaces are merged.

    >>> highlight_spans("Lạng Sơn: kết nạp Đảng", "ket nap dang")
    [(10, 22)]
    >>> highlight_spans("hơn 3.400 quần chúng", "3.400")
    [(4, 9)]
    """
    if not text:
        return []
    wanted = {t for tokens in query_terms(query) for t in tokens}
    if not wanted:
        return []
    folded = fold(text)
    if len(folded) != len(text):  # pragma: no cover - fold keeps the length
        return []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(folded):
        if m.group() not in wanted:
            continue
        start, end = m.span()
        if spans and (folded[spans[-1][1] : start].strip() in ("", ".", ",")):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def mark(text: str | None, query: str | None) -> str | None:
    """``text`` with the words matching ``query`` between ⟦ and ⟧ (plain text, not HTML).

    >>> mark("Giới thiệu hơn 3.400 quần chúng ưu tú được kết nạp Đảng", "KET NAP dang")
    'Giới thiệu hơn 3.400 quần chúng ưu tú được ⟦kết nạp Đảng⟧'
    """
    if text is None:
        return None
    out, pos = [], 0
    for start, end in highlight_spans(text, query):
        out += [text[pos:start], MARK_OPEN, text[start:end], MARK_CLOSE]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def split_marked(text: str) -> list[tuple[str, bool]]:
    """Pieces of a :func:`mark`-ed text, each with whether it is highlighted.

    >>> split_marked("a ⟦b⟧ c")
    [('a ', False), ('b', True), (' c', False)]
    """
    out = []
    for i, piece in enumerate(re.split(f"{MARK_OPEN}|{MARK_CLOSE}", text)):
        if piece:
            out.append((piece, i % 2 == 1))
    return out


def date_start(text: str | None) -> str | None:
    """First day of a YYYY, YYYY-MM or YYYY-MM-DD; None when it is not one.

    >>> date_start("2021"), date_start("2021-05"), date_start("2021-05-07"), date_start("x")
    ('2021-01-01', '2021-05-01', '2021-05-07', None)
    """
    m = _DATE.match((text or "").strip())
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2) or '01'}-{m.group(3) or '01'}"


def date_end(text: str | None) -> str | None:
    """Last day (as a sortable string) of a YYYY, YYYY-MM or YYYY-MM-DD.

    >>> date_end("2021"), date_end("2021-02"), date_end("2021-02-03")
    ('2021-12-31', '2021-02-31', '2021-02-03')
    """
    m = _DATE.match((text or "").strip())
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2) or '12'}-{m.group(3) or '31'}"


def _province_ids(name: str | None, era: int) -> str:
    return json.dumps(list(province_filter(name or "")[era]))


def register_functions(conn: sqlite3.Connection) -> None:
    """Make the functions that ``queries.yaml`` uses available on a connection, once
    (registering again would make SQLite prepare every cached statement anew)."""
    try:
        conn.execute("SELECT fts_match(''), province_new_ids('')")
        return
    except sqlite3.OperationalError:
        pass
    functions: dict[str, Any] = {
        "fold": lambda s: fold(s) if isinstance(s, str) else s,
        "fold_query": lambda s: fold_query(s) if isinstance(s, str) else s,
        "fts_match": lambda s: fts_match(s if isinstance(s, str) else None),
        "mark": lambda t, q: (
            mark(t, q if isinstance(q, str) else None) if isinstance(t, str) else t
        ),
        "province_old_ids": lambda p: _province_ids(p if isinstance(p, str) else None, 0),
        "province_new_ids": lambda p: _province_ids(p if isinstance(p, str) else None, 1),
        "date_start": lambda s: date_start(s if isinstance(s, str) else None),
        "date_end": lambda s: date_end(s if isinstance(s, str) else None),
    }
    for name, fn in functions.items():
        nargs = 2 if name == "mark" else 1
        conn.create_function(name, nargs, fn, deterministic=True)


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    sql: str

    @property
    def parameters(self) -> list[str]:
        """The :named parameters of the SQL, in order of first use."""
        seen: list[str] = []
        for p in re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", self.sql):
            if p not in seen:
                seen.append(p)
        return seen


@cache
def load_queries(path: Path = QUERIES_FILE) -> dict[str, NamedQuery]:
    """The named queries of ``queries.yaml``, fragments filled in.

    >>> q = load_queries()["search_claims"]
    >>> q.parameters[:3], "{claim_filters}" in q.sql
    (['q', 'province', 'organisation'], False)
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fragments = {k: v.strip() for k, v in (data.get("fragments") or {}).items()}
    out = {}
    for name, spec in data["queries"].items():
        sql = spec["sql"]
        for key, frag in fragments.items():
            sql = sql.replace("{" + key + "}", frag)
        out[name] = NamedQuery(name, spec["title"], " ".join(spec["description"].split()), sql)
    return out


@dataclass(frozen=True, slots=True)
class Filters:
    """Search filters; empty strings mean no filter."""

    province: str = ""
    organisation: str = ""
    campaign: str = ""
    measure: str = ""
    status: str = ""
    min: str = ""
    max: str = ""
    since: str = ""
    until: str = ""


def parse_number(text: str) -> float | None:
    """A number as people write it here: ``3.400`` and ``1.711`` (Vietnamese thousands),
    ``1,1`` (decimal comma), or plain ``2.5``, ``1e6``; None when it is not a number.

    >>> [parse_number(x) for x in ("3.400", "1,1", "2.5", "1e6", "-3", "1.234.567", "x")]
    [3400.0, 1.1, 2.5, 1000000.0, -3.0, 1234567.0, None]
    """
    raw = text.strip().replace(" ", "")
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):
        raw = raw.replace(".", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


MEASURES = ("count", "percent", "ratio", "money", "quantity")
STATUSES = ("reported", "target")


def check_filters(f: Filters) -> Filters:
    """Validate filters; raises :class:`SearchError` with a clear message.

    >>> check_filters(Filters(min=" 1.000 ", since="2021")).min
    '1000.0'
    >>> check_filters(Filters(since="2021-13-45"))
    Traceback (most recent call last):
    ...
    pipeline.query.search.SearchError: --since must be YYYY, YYYY-MM or YYYY-MM-DD, not '2021-13-45'
    """
    values = {k: (v or "").strip() for k, v in asdict(f).items()}
    for key in ("min", "max"):
        if values[key]:
            number = parse_number(values[key])
            if number is None:
                raise SearchError(f"--{key} must be a number, not {values[key]!r}")
            values[key] = repr(number)
    for key in ("since", "until"):
        raw = values[key]
        m = _DATE.match(raw)
        bad = raw and (
            not m or not 1 <= int(m.group(2) or 1) <= 12 or not 1 <= int(m.group(3) or 1) <= 31
        )
        if bad:
            raise SearchError(f"--{key} must be YYYY, YYYY-MM or YYYY-MM-DD, not {raw!r}")
    if values["measure"] and values["measure"] not in MEASURES:
        raise SearchError(f"--measure must be one of {', '.join(MEASURES)}")
    if values["status"] and values["status"] not in STATUSES:
        raise SearchError(f"--status must be one of {', '.join(STATUSES)}")
    if values["province"] and province_filter(values["province"]) == ((), ()):
        raise SearchError(f"unknown province {values['province']!r} (try a name like 'Lạng Sơn')")
    return Filters(**values)


def search(
    conn: sqlite3.Connection, query: str | None, filters: Filters = Filters(), limit: int = 100
) -> list[dict[str, Any]]:
    """Claims matching ``query`` (every word, in the sentence or the article title) and
    ``filters``, best first; an empty query lists claims by filter, newest first.

    Raises :class:`SearchError` when the query has text but no searchable word, or a
    filter is malformed.
    """
    f = check_filters(filters)
    has_words = bool(query_terms(query))
    if (query or "").strip() and not has_words:
        raise SearchError(
            f"the query {query!r} has no words to search for (punctuation and operators are "
            "ignored); give words, or leave it empty to list claims by filter"
        )
    named = load_queries()["search_claims" if has_words else "list_claims"]
    params: dict[str, Any] = {**asdict(f), "q": query or "", "limit": str(max(1, int(limit)))}
    register_functions(conn)
    cur = conn.execute(named.sql, {k: params[k] for k in named.parameters})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
