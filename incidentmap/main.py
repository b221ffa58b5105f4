"""The ``incidentmap`` command: a click group assembled from one module per subcommand."""

from __future__ import annotations

import logging

import click

from incidentmap.assets import assets
from incidentmap.build import build
from incidentmap.check import check
from incidentmap.classify import classify
from incidentmap.distance import distance
from incidentmap.extract import extract
from incidentmap.gazetteer import gazetteer
from incidentmap.geocode import geocode
from incidentmap.incidents import export, incidents, validate
from incidentmap.track import track
from incidentmap.window import window

COMMANDS = (build, assets, check, distance, classify, geocode, validate, incidents, export,
            track, window, extract, gazetteer)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.version_option(package_name="incidentmap")
def cli(verbose: int, quiet: bool) -> None:
    """Check drone and missile incidents against NATO borders and map them.

    Data goes to stdout, logs and progress to stderr.
    """
    levels = (logging.WARNING, logging.INFO, logging.DEBUG)
    level = logging.ERROR if quiet else levels[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


for command in COMMANDS:
    cli.add_command(command)


def main() -> None:
    cli(prog_name="incidentmap")


if __name__ == "__main__":
    main()
