"""Executors for ``pipeline batch``: where the NLP stages run.

``local`` (``pipeline.batch``: this process or a process pool) and ``dask``
(:mod:`pipeline.executors.dask_cluster`: a Dask distributed cluster). Whatever runs the
stages, the process that called ``run_batch`` is the one writer of the database, so every
executor writes the same rows.
"""

EXECUTORS = ("local", "dask")
