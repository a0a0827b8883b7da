"""notebooks/analysis.ipynb runs (nbclient) on a database built from the real corpus, and
on an empty database, where it prints "no data" instead of plotting."""

from __future__ import annotations

import itertools
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.store.sqlite import Store

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "analysis.ipynb"
PLOTS = {
    "claims_per_province_year.png",
    "campaign_frequency.png",
    "top_organisations.png",
    "targets_vs_achievements.png",
}
SUBSET = 120  # articles of target.jsonl: enough for every plot, quick on 2 cores


def run_notebook(db: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PIPELINE_DB", str(db))
    monkeypatch.setenv("PIPELINE_OUTPUTS", str(out))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    return "\n".join(
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stdout"
    )


@pytest.mark.slow
def test_notebook_on_real_corpus(real_corpus, tmp_path, monkeypatch):
    from pipeline.batch import run_batch

    subset = tmp_path / "target-subset.jsonl"
    with (real_corpus / "target.jsonl").open(encoding="utf-8") as fh:
        subset.write_text("".join(itertools.islice(fh, SUBSET)), encoding="utf-8")
    db = tmp_path / "pipeline.sqlite"
    summary = run_batch([subset], db, workers=2, progress=False)
    assert summary.articles_processed == SUBSET
    out = tmp_path / "outputs"
    printed = run_notebook(db, out, monkeypatch)
    assert {p.name for p in out.glob("*.png")} == PLOTS
    assert all((out / p).stat().st_size > 5000 for p in PLOTS)
    assert f"'articles': {SUBSET}" in printed


def test_notebook_on_empty_database(tmp_path, monkeypatch):
    db = tmp_path / "empty.sqlite"
    Store(db).close()
    out = tmp_path / "outputs"
    printed = run_notebook(db, out, monkeypatch)
    assert printed.count("no data") >= 4
    assert list(out.glob("*.png")) == []
