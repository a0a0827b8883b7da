"""Fault injection for subprocess tests: put this folder first on PYTHONPATH.

Python imports ``sitecustomize`` at start-up, before the command runs. Each fault is
switched on by an environment variable, so the code under test runs unchanged:

* ``PIPELINE_FAULT_DB_TIMEOUT=SECONDS`` — the store waits this long for a lock instead of
  30 s (the waiting and the message are the real ones, only shorter).
* ``PIPELINE_FAULT_SQLITE_READONLY=1`` — SQLite opens every database file read-only, which
  is what it does by itself when the file or its folder is not writable (root ignores file
  modes, so chmod cannot show it).
* ``PIPELINE_FAULT_COMMIT_EVERY=N`` — ``pipeline batch`` commits every N articles instead of
  every 256 (or 2 s), so that a small corpus is written in several transactions and a kill
  can land between or inside them.
"""

from __future__ import annotations

import os

if os.environ.get("PIPELINE_FAULT_DB_TIMEOUT"):
    from pipeline.store import sqlite as _store

    _kw = _store.Store.__init__.__kwdefaults__
    assert _kw is not None
    _kw["timeout"] = float(os.environ["PIPELINE_FAULT_DB_TIMEOUT"])

if os.environ.get("PIPELINE_FAULT_COMMIT_EVERY"):
    from pipeline import batch as _batch

    _batch.COMMIT_EVERY = int(os.environ["PIPELINE_FAULT_COMMIT_EVERY"])

if os.environ.get("PIPELINE_FAULT_SQLITE_READONLY"):
    import sqlite3
    from pathlib import Path

    _connect = sqlite3.connect

    def _readonly_connect(database, *args, **kwargs):  # type: ignore[no-untyped-def]
        if kwargs.get("uri") or str(database) == ":memory:":
            return _connect(database, *args, **kwargs)
        kwargs["uri"] = True
        return _connect(f"file:{Path(database).resolve()}?mode=ro", *args, **kwargs)

    sqlite3.connect = _readonly_connect
