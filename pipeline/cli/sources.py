"""`pipeline sources list|check`: show and validate the site profiles."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.sources.profile import PROFILES_DIR, check_profiles, load_profiles


@click.group(name="sources")
def command() -> None:
    """List and check the site profiles (pipeline/sources/profiles/*.toml)."""


@command.command(name="list")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROFILES_DIR,
    show_default=False,
    help="Profile directory (default: the bundled profiles).",
)
def list_cmd(directory: Path) -> None:
    """One line per profile: id, kind, delay, what is unverified, hosts."""
    for p in load_profiles(directory).values():
        unverified = [
            name
            for name, ok in (
                ("articles", p.article_verified),
                ("listings", p.listing_verified),
                ("selectors", p.selectors_verified or not p.selectors),
            )
            if not ok
        ]
        flag = ("unverified: " + ",".join(unverified)) if unverified else "verified"
        hosts = ",".join(p.hosts) or "(any)"
        click.echo(f"{p.id:16} {p.kind:12} delay={p.delay:<4g} {flag:40} {hosts}")


@command.command(name="check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROFILES_DIR,
    help="Profile directory (default: the bundled profiles).",
)
def check_cmd(directory: Path) -> None:
    """Validate every profile; exit 1 when any is invalid."""
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise click.ClickException(f"no *.toml profiles in {directory}")
    errors = check_profiles(directory)
    for err in errors:
        click.echo(f"INVALID {err.source}", err=True)
        for problem in err.problems:
            click.echo(f"  - {problem}", err=True)
    click.echo(f"{len(files) - len({e.source for e in errors})}/{len(files)} profiles valid")
    if errors:
        raise SystemExit(1)
