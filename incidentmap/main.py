"""The ``incidentmap`` command: a click group assembled from one module per subcommand.

Commands are loaded lazily: :data:`COMMANDS` maps each name to ``"module:function"`` and a
command's module is imported only when that command runs (or for ``--help``), so
``incidentmap check`` does not pay for geopandas, folium or the text extraction.
"""

from __future__ import annotations

import importlib

import click

from incidentmap.errors import ProjectErrorsGroup
from incidentmap.options import verbosity_options

#: Subcommand name -> "module:attribute" of its click command, in the order --help lists them.
COMMANDS = {
    "build": "incidentmap.build:build",
    "assets": "incidentmap.assets:assets",
    "check": "incidentmap.check:check",
    "distance": "incidentmap.distance:distance",
    "classify": "incidentmap.classify:classify",
    "geocode": "incidentmap.geocode:geocode",
    "validate": "incidentmap.incidents:validate",
    "incidents": "incidentmap.incidents:incidents",
    "export": "incidentmap.incidents:export",
    "track": "incidentmap.track:track",
    "window": "incidentmap.window:window",
    "extract": "incidentmap.extract:extract",
    "gazetteer": "incidentmap.gazetteer:gazetteer",
    "import": "incidentmap.import_:import_",
}


class LazyGroup(ProjectErrorsGroup):
    """A group whose subcommands are imported from ``"module:attribute"`` on first use.

    An uncaught project error becomes one line and exit status 2 (:mod:`incidentmap.errors`).
    """

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx) -> list[str]:
        extra = [n for n in super().list_commands(ctx) if n not in self.lazy_commands]
        return [*self.lazy_commands, *extra]

    def get_command(self, ctx, cmd_name):
        if cmd_name in self.commands or cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module_name, attr = self.lazy_commands[cmd_name].split(":")
        command = getattr(importlib.import_module(module_name), attr)
        # -v/-q work after the subcommand too ("incidentmap check -q ...")
        command = verbosity_options(command)
        self.add_command(command, cmd_name)
        return command


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="incidentmap")
@verbosity_options
def cli() -> None:
    """Check drone and missile incidents against NATO borders and map them.

    Data goes to stdout, logs and progress to stderr.
    """


def main() -> None:
    cli(prog_name="incidentmap")


if __name__ == "__main__":
    main()
