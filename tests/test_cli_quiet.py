"""`-q` silences summaries on stderr, before or after the subcommand; data stays on stdout."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from incidentmap.main import cli


@pytest.mark.parametrize("where", ["before", "after", "none"])
def test_export_summary_follows_quiet(tmp_path, where):
    out = tmp_path / "incidents.csv"
    args = ["export", "--format", "acled-csv", "-o", str(out)]
    if where == "before":
        args = ["-q", *args]
    elif where == "after":
        args = [*args, "-q"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert ("wrote" in result.stderr) == (where == "none")
