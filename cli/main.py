"""The ``incidentmap`` command: a click group assembled from one module per subcommand."""

from __future__ import annotations

import logging

import click

from cli.check import check
from cli.classify import classify
from cli.distance import distance
from cli.geocode import geocode


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(package_name="incidentmap")
def cli(verbose: int, quiet: bool) -> None:
    """Check drone and missile incidents against NATO borders and map them.

    Data goes to stdout, logs and progress to stderr.
    """
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


for command in (check, distance, classify, geocode):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="incidentmap")


if __name__ == "__main__":
    main()
