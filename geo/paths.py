"""Where incidentmap keeps files it can rebuild (indexes, downloaded assets, answers of online
services): ``$INCIDENTMAP_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/incidentmap``, else
``~/.cache/incidentmap``."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """The user cache directory of incidentmap (not created here)."""
    explicit = os.environ.get("INCIDENTMAP_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "incidentmap"
