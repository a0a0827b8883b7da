"""WARC archive: every HTTP response the crawler receives, written as it was received.

``WarcArchive`` appends ``response`` records (and the ``request`` that produced each) to one
``.warc.gz`` file per crawl session, one gzip member per record, so a crash leaves at worst
a truncated last member. ``iter_warc_pages`` reads ``.warc``/``.warc.gz`` files back as
``RawPage`` objects, offline.

The body stored is the payload after transfer and content decoding (what ``requests``
hands us); the stored HTTP headers therefore drop ``Content-Encoding`` and
``Transfer-Encoding`` and give the real ``Content-Length``. A body cut at the size cap is
marked ``WARC-Truncated: length``.
"""

from __future__ import annotations

import io
import logging
import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.types import RawPage

log = logging.getLogger(__name__)

_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    """Append-only WARC writer; thread-safe; one new file per session.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with WarcArchive(d, prefix="demo") as w:
    ...     name, rid = w.write_response(
    ...         "http://127.0.0.1/a.html", 200, (("Content-Type", "text/html"),), b"<p>xin chao</p>"
    ...     )
    >>> [(p.url, p.status, p.body, p.warc_record_id == rid) for p in iter_warc_pages(d / name)]
    [('http://127.0.0.1/a.html', 200, b'<p>xin chao</p>', True)]
    """

    def __init__(self, directory: Path, prefix: str = "crawl", fsync: bool = True) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.name = f"{prefix}-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:6]}.warc.gz"
        self.path = self.directory / self.name
        self._fh = open(self.path, "ab")  # noqa: SIM115 - closed in close()
        self._writer = WARCWriter(self._fh, gzip=True)
        self._lock = threading.Lock()
        self._fsync = fsync

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if not self._fh.closed:
                self._fh.flush()
                os.fsync(self._fh.fileno())
                self._fh.close()

    def write_response(
        self,
        url: str,
        status: int,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        *,
        reason: str = "",
        fetched_at: str | None = None,
        truncated: bool = False,
        request_headers: tuple[tuple[str, str], ...] = (),
    ) -> tuple[str, str]:
        """Write a request/response pair; return ``(file name, response WARC-Record-ID)``."""
        date = fetched_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        kept = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        warc_headers = {"WARC-Date": _warc_date(date)}
        if truncated:
            warc_headers["WARC-Truncated"] = "length"
        response = self._writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        record_id = str(response.rec_headers.get_header("WARC-Record-ID"))
        with self._lock:
            if request_headers:
                path = _path_of(url)
                req_http = StatusAndHeaders(
                    f"GET {path} HTTP/1.1", list(request_headers), is_http_request=True
                )
                request = self._writer.create_warc_record(
                    url,
                    "request",
                    payload=io.BytesIO(b""),
                    length=0,
                    http_headers=req_http,
                    warc_headers_dict={
                        "WARC-Date": _warc_date(date),
                        "WARC-Concurrent-To": record_id,
                    },
                )
                self._writer.write_record(request)
            self._writer.write_record(response)
            self._fh.flush()
        return self.name, record_id

    def sync(self) -> None:
        """Force written records to disk (called before an article line refers to them)."""
        with self._lock:
            if not self._fh.closed:
                self._fh.flush()
                if self._fsync:
                    os.fsync(self._fh.fileno())


def iter_warc_pages(path: str | Path, problems: list[str] | None = None) -> Iterator[RawPage]:
    """Yield every ``response`` record of a ``.warc`` or ``.warc.gz`` file as a RawPage.

    ``url`` and ``final_url`` are the record's ``WARC-Target-URI`` (every redirect hop is its
    own record); ``fetched_at`` is its ``WARC-Date``. A truncated or corrupt tail (a crawl
    killed mid-write) ends the iteration with a logged warning: every complete record before
    it is still yielded. With a ``problems`` list the warning is appended to it instead
    (the batch readers make it a failure row). A file that is not a WARC at all raises
    ``ValueError``.
    """
    path = Path(path)

    def warn(message: str) -> None:
        if problems is None:
            log.warning("%s: %s", path, message)
        else:
            problems.append(message)

    state = _warc_state(path)
    if state == "torn":
        warn("truncated WARC, 0 records: torn before its first record was complete")
        return
    if state != "ok":
        raise ValueError(f"{path}: not a WARC file (it does not start with a WARC/1.x record)")
    records = 0
    with open(path, "rb") as fh:
        try:
            for record in ArchiveIterator(fh):
                head = record.rec_headers
                if not (head.get_header("WARC-Record-ID") and head.get_header("Content-Length")):
                    # warcio reads a header cut short as a record of a truncated type
                    which = "next" if records else "first"
                    warn(f"truncated WARC, {_n(records)}: the {which} record is cut short")
                    return
                records += 1
                if record.rec_type != "response":
                    continue
                url = str(record.rec_headers.get_header("WARC-Target-URI") or "")
                http = record.http_headers
                status = int(http.get_statuscode() or 0) if http is not None else 0
                headers = tuple((str(k), str(v)) for k, v in http.headers) if http else ()
                body = record.content_stream().read()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    warn(f"truncated WARC, {_n(records - 1)}: the last ({url}) is incomplete")
                    break
                yield RawPage(
                    url=url,
                    final_url=url,
                    status=status,
                    headers=headers,
                    body=body,
                    fetched_at=str(record.rec_headers.get_header("WARC-Date") or ""),
                    warc_file=str(path),
                    warc_record_id=str(record.rec_headers.get_header("WARC-Record-ID") or ""),
                )
        except Exception as exc:  # warcio fails in many ways on torn or hostile bytes
            # a crawl killed mid-write leaves a truncated last gzip member (ArchiveLoadFailed,
            # EOFError, zlib errors; a header cut inside the type gives an AttributeError)
            warn(f"truncated or corrupt WARC, {_n(records)}: {type(exc).__name__}: {exc}")
            return
    if records == 0:  # warcio ends quietly on a file cut inside its first record
        warn("truncated WARC, 0 records: it starts as a WARC but holds no complete record")


def _n(records: int) -> str:
    return f"{records} record" + ("" if records == 1 else "s")


def _warc_state(path: Path) -> str:
    """``ok`` when the file starts with a WARC record, ``torn`` when it stops before the first
    record's start could be read (empty, or cut inside it), ``other`` for anything else."""
    import gzip

    with open(path, "rb") as fh:
        head = fh.read(2)
    try:
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as gz:
                data = gz.read(5)
        else:
            with open(path, "rb") as fh:
                data = fh.read(5)
    except EOFError:
        return "torn"
    except OSError:
        return "other"
    if data == b"WARC/":
        return "ok"
    return "torn" if b"WARC/".startswith(data) or head == b"\x1f" else "other"


def _warc_date(iso: str) -> str:
    """WARC-Date wants ``YYYY-MM-DDThh:mm:ssZ``.

    >>> _warc_date("2026-01-02T03:04:05+00:00")
    '2026-01-02T03:04:05Z'
    """
    try:
        dt = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        dt = datetime.now(UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
