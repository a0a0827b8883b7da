"""A simulated news site on 127.0.0.1 for the scraper's tests and benchmark.

Article pages are the real saved pages of ``../shared/corpora/real/html/`` (full article
pages served byte for byte; article-body fragments wrapped in a minimal page), read at run
time and never copied into the repository. URLs follow phunuvietnam.vn's article shape
(``/<slug>-<17 digits>.htm``) so the real profile's rules apply. The site has robots.txt,
a sitemap index pointing at a gzipped sitemap, an RSS feed, paginated listings, and a set
of faulty pages (``FAULTS``). Every request is logged with its arrival time.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HUGE = 50 * 1024 * 1024


@dataclass
class Article:
    path: str
    body: bytes
    published: str  # YYYY-MM-DD
    content_type: str = "text/html; charset=utf-8"
    source: str = ""


def _stamp(n: int, day: str) -> str:
    return day.replace("-", "") + f"{n:09d}"  # 8 + 9 = 17 digits


def load_articles(real_corpus: Path, limit: int | None = None) -> list[Article]:
    """The real saved article pages and wrapped article-body fragments as site articles."""
    html_dir = real_corpus / "html"
    index = [json.loads(line) for line in (html_dir / "index.jsonl").open(encoding="utf-8")]
    expect = {
        json.loads(line)["file"]: json.loads(line)
        for line in (html_dir / "expectations.jsonl").open(encoding="utf-8")
    }
    out: list[Article] = []
    for n, item in enumerate(index):
        name = item["file"]
        if item["kind"] == "article_page":
            day = (expect.get(name, {}).get("published") or "2026-07-20")[:10]
            body = (html_dir / name).read_bytes()
        elif item["kind"] == "article_body_fragment":
            day = f"2025-01-{1 + n % 28:02d}"
            title = html.escape(item["title"])
            frag = (html_dir / name).read_text(encoding="utf-8")
            page = (
                f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
                f'<meta property="article:published_time" content="{day}T08:00:00+07:00">'
                f"</head><body><header><a href='/'>Trang chủ</a></header><article><h1>{title}</h1>"
                f"{frag}</article><footer>Báo mô phỏng</footer></body></html>"
            )
            body = page.encode("utf-8")
        else:
            continue
        slug = Path(name).stem.lower()
        out.append(Article(f"/{slug}-{_stamp(n, day)}.htm", body, day, source=name))
    return out[:limit] if limit else out


@dataclass
class SiteConfig:
    articles: list[Article]
    faults: bool = True
    crawl_delay: float | None = None
    article_delay: float = 0.0  # server-side seconds before each article response
    listing_pages: int = 3
    listing_articles: bool = True  # False: articles only through the sitemap and the feed
    homepage: bytes | None = None  # a real saved homepage, served at an article address
    retry_after: str = "1"
    slow_seconds: float = 1.0
    extra: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)


class SimSite:
    """Start with ``with SimSite(config) as site:``; ``site.base`` is the address."""

    def __init__(self, config: SiteConfig) -> None:
        self.config = config
        self.log: list[tuple[float, str, dict[str, str]]] = []  # (time, path, headers)
        self.hits: dict[str, int] = {}
        self.bytes_sent: dict[str, int] = {}
        self.not_modified = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.articles = {a.path: a for a in config.articles}

    def __enter__(self) -> SimSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- content ---------------------------------------------------------------------
    def fault_paths(self) -> dict[str, str]:
        """Fault name -> article-shaped path."""
        names = [
            "retry-after-429",
            "server-error-500",
            "slow-timeout",
            "trickle",
            "truncated",
            "loop-a",
            "moved",
            "wrong-charset",
            "tcvn3",
            "huge-declared",
            "huge-chunked",
            "pdf-file",
            "not-an-article",
            "copy-of-first",
            "gone-404",
            "near-copy",
            "real-homepage",
        ]
        return {n: f"/fault-{n}-{_stamp(i, '2025-02-01')}.htm" for i, n in enumerate(names)}

    def listing(self, page: int) -> bytes:
        arts = list(self.articles)
        per = max(1, -(-len(arts) // self.config.listing_pages))
        chunk = arts[(page - 1) * per : page * per] if self.config.listing_articles else []
        links = [f'<li><a href="{p}">{p}</a></li>' for p in chunk]
        if page == 1 and self.config.faults:
            links += [f'<li><a href="{p}">{n}</a></li>' for n, p in self.fault_paths().items()]
            links.append('<li><a href="/tin-noi-bo-20250101000000001.htm">robots</a></li>')
            links.append('<li><a href="/lien-he">Liên hệ</a> <a href="mailto:a@b.vn">m</a></li>')
            links.append(
                '<li><a href="https://elsewhere.example/x-20250101000000001.htm">o</a></li>'
            )
        nav = ""
        if page < self.config.listing_pages:
            nav = f'<a rel="next" href="/thoi-su/trang-{page + 1}.htm">Trang sau</a>'
        return (
            "<html><head><meta charset='utf-8'><title>Thời sự</title></head><body>"
            f"<ul>{''.join(links)}</ul>{nav}</body></html>"
        ).encode()

    def sitemap(self) -> bytes:
        arts = list(self.articles.values())[: len(self.articles) // 2]
        urls = "".join(
            f"<url><loc>{self.base}{a.path}</loc><lastmod>{a.published}</lastmod></url>"
            for a in arts
        )
        xml = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return gzip.compress(xml.encode())

    def feed(self) -> bytes:
        arts = list(self.articles.values())[-3:]
        items = "".join(
            f"<item><title>t</title><link>{self.base}{a.path}</link>"
            f"<pubDate>{a.published}T08:00:00+07:00</pubDate></item>"
            for a in arts
        )
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()

    def robots(self) -> bytes:
        lines = [
            "User-agent: *",
            "Disallow: /*-noi-bo-",
            "Disallow: /*?print=",
            f"Sitemap: {self.base}/sitemap_index.xml",
        ]
        if self.config.crawl_delay is not None:
            lines.insert(3, f"Crawl-delay: {self.config.crawl_delay:g}")
        return ("\n".join(lines) + "\n").encode()

    # -- HTTP ------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with site._lock:
                    site.log.append((time.monotonic(), self.path, dict(self.headers.items())))
                    n = site.hits[path] = site.hits.get(path, 0) + 1
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    site._route(self, path, n)

        return Handler

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        if status == 200 and h.path != "/robots.txt":  # ETag on every page: conditional GET
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                with self._lock:
                    self.not_modified += 1
                return
            headers = {"ETag": etag, **(headers or {})}
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
        with self._lock:
            self.bytes_sent[h.path] = self.bytes_sent.get(h.path, 0) + len(body)

    def _route(self, h: BaseHTTPRequestHandler, path: str, n: int) -> None:
        c = self.config
        first = next(iter(self.articles.values()))
        if path in c.extra:
            status, headers, body = c.extra[path]
            ctype = headers.pop("Content-Type", "text/html; charset=utf-8")
            return self._send(h, status, body, ctype, headers)
        if path == "/robots.txt":
            return self._send(h, 200, self.robots(), "text/plain")
        if path == "/sitemap_index.xml":
            xml = (
                "<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                f"<sitemap><loc>{self.base}/sitemap-articles.xml.gz</loc></sitemap>"
                "</sitemapindex>"
            )
            return self._send(h, 200, xml.encode(), "application/xml")
        if path == "/sitemap-articles.xml.gz":
            return self._send(h, 200, self.sitemap(), "application/x-gzip")
        if path == "/rss/home.rss":
            return self._send(h, 200, self.feed(), "application/rss+xml")
        if path in ("/", "/thoi-su"):
            return self._send(h, 200, self.listing(1))
        if path.startswith("/thoi-su/trang-"):
            page = int(path.rsplit("-", 1)[1].split(".")[0])
            if 1 <= page <= c.listing_pages:
                return self._send(h, 200, self.listing(page))
        if path in self.articles:
            if c.article_delay:
                time.sleep(c.article_delay)
            a = self.articles[path]
            return self._send(h, 200, a.body, a.content_type)
        faults = {p: name for name, p in self.fault_paths().items()} if c.faults else {}
        name = faults.get(path) or (
            "loop-b" if c.faults and path == "/fault-loop-b-20250201000000999.htm" else None
        )
        if name is None:
            return self._send(h, 404, b"<html><body>Not found</body></html>")
        return self._fault(h, name, n, first)

    def _fault(self, h: BaseHTTPRequestHandler, name: str, n: int, first: Article) -> None:
        c = self.config
        ok = first.body
        if name == "retry-after-429":
            if n == 1:
                return self._send(
                    h, 429, b"slow down", "text/plain", {"Retry-After": c.retry_after}
                )
            return self._send(h, 200, self._variant(ok, name))
        if name == "server-error-500":
            if n <= 2:
                return self._send(h, 500, b"oops", "text/plain")
            return self._send(h, 200, self._variant(ok, name))
        if name == "slow-timeout":
            if n == 1:
                time.sleep(c.slow_seconds)
            return self._send(h, 200, self._variant(ok, name))
        if name == "trickle":  # headers at once, then one byte every 0.1 s, forever-ish
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", "100000")
            h.end_headers()
            for _ in range(200):
                h.wfile.write(b" ")
                h.wfile.flush()
                time.sleep(0.05)
            return None
        if name == "truncated":
            body = self._variant(ok, name)
            if n == 1:  # promise the whole body, send a fifth, hang up
                h.send_response(200)
                h.send_header("Content-Type", "text/html; charset=utf-8")
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.wfile.write(body[: len(body) // 5])
                h.wfile.flush()
                h.close_connection = True
                return None
            return self._send(h, 200, body)
        if name == "loop-a":
            return self._send(
                h, 302, b"", headers={"Location": "/fault-loop-b-20250201000000999.htm"}
            )
        if name == "loop-b":
            return self._send(h, 302, b"", headers={"Location": self.fault_paths()["loop-a"]})
        if name == "moved":
            target = list(self.articles)[1]
            return self._send(h, 301, b"", headers={"Location": target})
        if name == "wrong-charset":  # UTF-8 bytes labelled Latin-1
            return self._send(h, 200, self._variant(ok, name), "text/html; charset=iso-8859-1")
        if name == "tcvn3":
            from pipeline.extract.legacy import encode_legacy

            text = tcvn3_page_text()
            return self._send(h, 200, encode_legacy(text, "tcvn3"), "text/html")
        if name == "huge-declared":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Content-Length", str(HUGE))
            h.end_headers()
            return self._stream_zeros(h, HUGE)
        if name == "huge-chunked":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            return self._stream_zeros(h, HUGE, chunked=True)
        if name == "pdf-file":
            return self._send(h, 200, b"%PDF-1.4 " + b"0" * 5000, "application/pdf")
        if name == "not-an-article":  # a maintenance notice at an article-shaped address
            notice = (
                "<html><body><p>Trang đang được bảo trì, mời bạn quay lại sau.</p></body></html>"
            )
            return self._send(h, 200, notice.encode())
        if name == "real-homepage" and c.homepage is not None:
            return self._send(h, 200, c.homepage)
        if name == "near-copy":  # the first article republished with a line added on top
            marker = b"<article>" if b"<article>" in ok else b"<body>"
            extra = marker + "<p>Bài viết được đăng lại từ Báo Quân đội nhân dân.</p>".encode()
            return self._send(h, 200, ok.replace(marker, extra, 1))
        if name == "copy-of-first":
            return self._send(h, 200, ok)
        return self._send(h, 404, b"gone")

    def _variant(self, body: bytes, name: str) -> bytes:
        """The first article with a distinct title, so each fault page is its own URL's copy."""
        return body

    def _stream_zeros(self, h: BaseHTTPRequestHandler, total: int, chunked: bool = False) -> None:
        block = b"<p>" + b"a" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < total:
                if chunked:
                    h.wfile.write(f"{len(block):x}\r\n".encode() + block + b"\r\n")
                else:
                    h.wfile.write(block)
                sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.bytes_sent[h.path] = self.bytes_sent.get(h.path, 0) + sent
            h.close_connection = True


def tcvn3_page_text() -> str:
    """A Women's Union news page, written for this test, to be served in TCVN3."""
    paras = [
        "Ngày 8/3, Hội Liên hiệp Phụ nữ tỉnh tổ chức gặp mặt kỷ niệm ngày Quốc tế Phụ nữ "
        "với sự tham gia của 250 hội viên tiêu biểu đến từ các huyện, thành phố.",
        "Năm qua, các cấp Hội đã vận động 12.500 hội viên tham gia cuộc vận động xây dựng "
        "gia đình 5 không, 3 sạch, giúp 1.200 hộ phụ nữ nghèo vay vốn phát triển kinh tế.",
        "Hội cũng phối hợp tổ chức 45 lớp tập huấn kỹ năng khởi nghiệp cho phụ nữ nông thôn, "
        "hỗ trợ thành lập 18 tổ hợp tác do phụ nữ làm chủ.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        "<html><head><title>Hội LHPN tỉnh gặp mặt kỷ niệm ngày 8/3</title></head><body>"
        f"<article><h1>Hội LHPN tỉnh gặp mặt kỷ niệm ngày 8/3</h1>{body}</article></body></html>"
    )
