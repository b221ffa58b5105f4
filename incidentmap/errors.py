"""How the CLI reports a user's mistake: one line on stderr, exit status 2, no traceback.

:class:`UserError` is the click exception every command raises for bad input.
:class:`ProjectErrorsGroup` is the safety net of the ``incidentmap`` group: a project error
(:class:`geo.errors.IncidentMapError`, the root of every error the library raises for bad input)
that a command did not catch becomes a :class:`UserError`. Any other exception is a bug and
keeps its traceback.
"""

from __future__ import annotations

import click

from incidentmap.geo.errors import IncidentMapError


def one_line(message) -> str:
    """``message`` on one line (its lines joined with ``; ``).

    >>> one_line("bad file\\n  line 3: no date")
    'bad file; line 3: no date'
    """
    return "; ".join(part.strip() for part in str(message).splitlines() if part.strip())


class UserError(click.ClickException):
    """A user mistake: printed as ``Error: <one line>``, exit status 2."""

    exit_code = 2

    def __init__(self, message):
        super().__init__(one_line(message))


class ProjectErrorsGroup(click.Group):
    """A click group that turns an uncaught :class:`IncidentMapError` into a :class:`UserError`."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except IncidentMapError as exc:
            raise UserError(str(exc)) from None
