"""The `pipeline` command: a click group whose subcommands live one per module.

Each module under ``pipeline.cli`` named in ``COMMANDS`` defines ``command`` (a click
command or group). Modules are imported only when their command runs, so start-up stays
fast and one broken stage cannot break the others.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from typing import Any

import click

from pipeline import __version__

# command name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "batch": ("pipeline.cli.batch", "Process articles into the SQLite database."),
    "export": ("pipeline.cli.export", "Write the tables as CSV or Parquet for analysts."),
    "run-main": ("pipeline.cli.run_main", "The main job of `make run` on the bundled corpus."),
    "extract": ("pipeline.cli.extract", "Print the numeric claims of articles."),
    "tag": ("pipeline.cli.tag", "Print the campaigns and movements articles report."),
    "train": ("pipeline.cli.train", "Train models (the campaign classifier)."),
    "scrape": ("pipeline.cli.scrape", "Crawl a news site politely into JSONL and WARC."),
    "sources": ("pipeline.cli.sources", "List and check the site profiles."),
    "claims": ("pipeline.cli.claims", "Search claims (accent-insensitive)."),
    "serve": ("pipeline.cli.serve", "Serve the database in a web interface (Datasette)."),
    "checks": ("pipeline.cli.checks", "Cross-claim consistency checks."),
}


# Libraries that log about each page they are given ("discarding data: None", "empty HTML
# tree", "parsed tree length: 1"), at ERROR level. What went wrong with an input is ours to
# say (a failure row, one line on stderr), so their records are dropped unless
# PIPELINE_LIBRARY_LOGS=1 asks for them (debugging an extraction).
QUIET_LIBRARIES = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


def quiet_library_logs() -> None:
    """Silence the extraction libraries' loggers (see ``QUIET_LIBRARIES``)."""
    if os.environ.get("PIPELINE_LIBRARY_LOGS"):
        return
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        names = []
        for name, (module, _) in COMMANDS.items():
            if importlib.util.find_spec(module) is not None:
                names.append(name)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, _ = COMMANDS[cmd_name]
        if importlib.util.find_spec(module_name) is None:
            return None
        module = importlib.import_module(module_name)
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: Any) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(__version__, prog_name="pipeline")
def cli() -> None:
    """vn-news-pipeline: Vietnamese mass-organisation news to numeric claims.

    Exit codes: 0 success; 1 the run finished but some inputs failed (see the failures
    table); 2 usage error; 3 nothing could be processed.
    """
    quiet_library_logs()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
