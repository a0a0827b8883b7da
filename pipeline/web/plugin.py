"""Datasette plugin of ``pipeline serve``.

* every connection gets the SQL functions of ``queries.yaml`` (fold, fts_match, mark, ...),
  and Datasette's ``escape_fts`` is replaced by :func:`pipeline.query.search.fts_match`,
  so the tables' ``?_search=`` folds the query (``ket nap dang`` finds ``kết nạp Đảng``)
  and treats operators as words; ``_searchmode=raw`` is dropped from requests;
* ``sentence_highlighted`` cells show the matched words in ``<mark>`` (escaped), claim ids
  link to the claim page;
* two small pages of our own: ``/-/search`` (a search form with select boxes, results with
  highlighted sentences, each linked to its claim, CSV/JSON download of the same named
  query) and ``/-/claim/<id>`` (the claim, the evidence sentence highlighted in its
  paragraph, a link to the source and the archived copy). Datasette's canned-query page
  shows every parameter as a bare text box and cannot link a row to a page combining the
  claim with its paragraph, hence these.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from pipeline.query.search import (
    MEASURES,
    STATUSES,
    Filters,
    SearchError,
    check_filters,
    fts_match,
    load_queries,
    query_terms,
    register_functions,
    split_marked,
)

FILTERS = ("province", "organisation", "campaign", "measure", "status", "min", "max")
DATES = ("since", "until")


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    register_functions(conn)
    conn.create_function(
        "escape_fts", 1, lambda q: fts_match(q if isinstance(q, str) else None), deterministic=True
    )


def marked_html(text: str) -> Markup:
    """HTML of a :func:`~pipeline.query.search.mark`-ed text: escaped, matches in <mark>.

    >>> str(marked_html("<b>x</b> ⟦Đảng⟧"))
    '&lt;b&gt;x&lt;/b&gt; <mark>Đảng</mark>'
    """
    return Markup("").join(
        Markup("<mark>{}</mark>").format(p) if hit else escape(p) for p, hit in split_marked(text)
    )


def claim_path(claim_id: str, q: str = "") -> str:
    """The URL of a claim's page.

    >>> claim_path("ab:1-2", "kết nạp")
    '/-/claim/ab%3A1-2?q=k%E1%BA%BFt+n%E1%BA%A1p'
    """
    path = "/-/claim/" + quote(claim_id, safe="")
    return path + ("?" + urlencode({"q": q}) if q else "")


def safe_url(url: Any) -> str | None:
    """A URL we may link to (http or https), else None.

    >>> safe_url("https://a.vn/x"), safe_url("javascript:alert(1)"), safe_url(None)
    ('https://a.vn/x', None, None)
    """
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> Any:
    if column == "sentence_highlighted" and isinstance(value, str):
        return marked_html(value)
    is_claim_id = column == "claim_id" or (table in ("claims", "claims_view") and column == "id")
    if is_claim_id and isinstance(value, str):
        return Markup('<a href="{}">{}</a>').format(claim_path(value), value)
    return None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
            qs = scope.get("query_string", b"")
            if scope.get("type") == "http" and b"_searchmode" in qs:
                pairs = parse_qsl(qs.decode("latin-1"), keep_blank_values=True)
                kept = [(k, v) for k, v in pairs if k != "_searchmode"]
                scope = {**scope, "query_string": urlencode(kept).encode("ascii")}
            await app(scope, receive, send)

        return inner

    return wrap


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/claim/(?P<claim_id>[^/]+)$", claim_page), (r"^/-/search$", search_page)]


def _number(v: Any) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


async def search_page(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    args = {k: (request.args.get(k) or "").strip()[:500] for k in ("q", *FILTERS, *DATES)}
    error, rows, named = None, [], None
    try:
        filters = check_filters(Filters(**{k: args[k] for k in (*FILTERS, *DATES)}))
        has_words = bool(query_terms(args["q"]))
        if args["q"] and not has_words:
            raise SearchError(
                "the query has no words to search for (punctuation and operators are ignored)"
            )
        if has_words or any(args[k] for k in (*FILTERS, *DATES)):
            named = load_queries()["search_claims" if has_words else "list_claims"]
            params = {**{k: getattr(filters, k) for k in (*FILTERS, *DATES)}, "q": args["q"]}
            params["limit"] = "100"
            result = await db.execute(named.sql, {p: params.get(p, "") for p in named.parameters})
            rows = [dict(r) for r in result.rows]
    except SearchError as exc:
        error = str(exc)
    for r in rows:
        r["sentence_html"] = marked_html(r["sentence_highlighted"] or "")
        r["href"] = claim_path(r["claim_id"], args["q"])
        r["value_text"] = (
            _number(r["value"])
            + (f"–{_number(r['value_max'])}" if r["value_max"] is not None else "")
            + (f"/{_number(r['denominator'])}" if r["denominator"] is not None else "")
        )
        r["url"] = safe_url(r["article_url"])
    downloads = {}
    if named is not None:
        query = urlencode({**{p: args.get(p, "") for p in named.parameters}, "limit": "10000"})
        base = datasette.urls.database(db.name) + "/" + named.name
        downloads = {
            "CSV": f"{base}.csv?{query}&_dl=1",
            "JSON": f"{base}.json?{query}&_shape=array",
        }
    context = {
        "args": args,
        "rows": rows,
        "error": error,
        "searched": named is not None,
        "measures": MEASURES,
        "statuses": STATUSES,
        "downloads": downloads,
        "database": db.name,
    }
    html = await datasette.render_template("pipeline_search.html", context, request=request)
    return Response.html(html)


def evidence_pieces(
    text: str, paragraph: tuple[int, int], sentence: tuple[int, int], claim: tuple[int, int]
) -> list[tuple[str, str]]:
    """The paragraph cut into (text, kind) with kind "", "sentence" or "claim".

    >>> evidence_pieces("A b. C 12 d. E.", (0, 15), (5, 12), (7, 9))
    [('A b. ', ''), ('C ', 'sentence'), ('12', 'claim'), (' d.', 'sentence'), (' E.', '')]
    """
    p0, p1 = paragraph
    s0, s1 = max(sentence[0], p0), min(sentence[1], p1)
    c0, c1 = max(claim[0], s0), min(claim[1], s1)
    cuts = [
        (p0, s0, ""),
        (s0, c0, "sentence"),
        (c0, c1, "claim"),
        (c1, s1, "sentence"),
        (s1, p1, ""),
    ]
    return [(text[a:b], kind) for a, b, kind in cuts if b > a]


async def claim_page(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    claim_id = unquote(request.url_vars["claim_id"])
    detail = load_queries()["claim_detail"]
    found = (await db.execute(detail.sql, {"id": claim_id})).rows
    if not found:
        raise NotFound(f"no claim with id {claim_id}")
    claim = dict(found[0])
    article = (
        await db.execute("SELECT text FROM articles WHERE id = :id", {"id": claim["article_id"]})
    ).first()
    text = article["text"] if article else claim["sentence"]
    sent = (
        await db.execute(
            'SELECT article_id, paragraph, start, "end" FROM sentences WHERE id = :sid OR '
            '(article_id = :aid AND start <= :start AND "end" >= :end) '
            "ORDER BY id = :sid DESC, start DESC LIMIT 1",
            {
                "sid": claim["sentence_id"] or "",
                "aid": claim["article_id"],
                "start": claim["start"],
                "end": claim["end"],
            },
        )
    ).first()
    if sent is not None and article is not None:
        para = (
            await db.execute(
                'SELECT min(start), max("end") FROM sentences '
                "WHERE article_id = :aid AND paragraph = :p",
                {"aid": sent["article_id"], "p": sent["paragraph"]},
            )
        ).first()
        pieces = evidence_pieces(
            text, (para[0], para[1]), (sent["start"], sent["end"]), (claim["start"], claim["end"])
        )
    else:  # no stored sentence: the claim's own sentence is the evidence
        s = claim["sentence"]
        at = s.find(claim["text"])
        span = (at, at + len(claim["text"])) if at >= 0 else (0, 0)
        pieces = evidence_pieces(s, (0, len(s)), (0, len(s)), span)
    value = _number(claim["value"])
    if claim["value_max"] is not None:
        value += f"–{_number(claim['value_max'])}"
    if claim["denominator"] is not None:
        value += f"/{_number(claim['denominator'])}"
    fields = [
        (k, claim.get(k))
        for k in (
            "text", "measure", "status", "qualifier", "unit", "subject", "period",
            "organisation", "organisation_id", "location", "province_id", "province_new_id",
            "speaker", "year", "year_source", "extractor_version", "run_id",
        )
    ]  # fmt: skip
    context = {
        "claim": claim,
        "value": value,
        "fields": fields,
        "pieces": pieces,
        "source_url": safe_url(claim["article_url"]),
        "database": db.name,
        "article_href": datasette.urls.row(
            db.name, "articles", quote(claim["article_id"], safe="")
        ),
        "json_href": datasette.urls.table(db.name, "claims_view")
        + ".json?"
        + urlencode({"id": claim["id"], "_shape": "array"}),
        "q": request.args.get("q", ""),
    }
    html = await datasette.render_template("pipeline_claim.html", context, request=request)
    return Response.html(html)
