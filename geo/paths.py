"""Where incidentmap finds its files: the one resolver for every command.

- **Shipped data** (package data of the installed distribution, found through
  :mod:`importlib.resources`, never by a path relative to a source file): the incident seeds,
  curated places and flight tracks (:mod:`incidentmap.seeds`) and the map specs
  (:mod:`incidentmap.maps`). A missing shipped file is an error naming the path, never a silent
  empty catalog.
- **A user's seeds folder** (``--seeds DIR``): laid out like the shipped one, see
  :func:`seeds_folder`.
- **The cache folder** for what can be rebuilt (indexes, downloaded assets, answers of online
  services): ``$INCIDENTMAP_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/incidentmap``, else
  ``~/.cache/incidentmap``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from incidentmap.geo.errors import DataFileError

__all__ = [
    "SeedsFolder",
    "default_build_dir",
    "default_cache_dir",
    "maps_dir",
    "seeds_folder",
    "shipped_maps_dir",
    "shipped_seeds_dir",
]

#: The file and folder names of a seeds folder.
INCIDENTS = "incidents"
PLACES = "places.yaml"
TRACKS = "tracks"


def default_cache_dir() -> Path:
    """The user cache directory of incidentmap (not created here)."""
    explicit = os.environ.get("INCIDENTMAP_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "incidentmap"


def _package_dir(package: str) -> Path:
    # The distribution is installed unzipped (setuptools wheels and editable installs), so the
    # resource folder is a real directory.
    return Path(str(resources.files(package)))


def shipped_seeds_dir() -> Path:
    """The folder of the shipped seeds (``incidents/``, ``places.yaml``, ``tracks/``)."""
    return _package_dir("incidentmap.seeds")


def shipped_maps_dir() -> Path:
    """The folder of the shipped map specs (``*.toml``)."""
    return _package_dir("incidentmap.maps")


@dataclass(frozen=True)
class SeedsFolder:
    """The files of one seeds folder.

    Attributes
    ----------
    root : Path
        The folder given (or the shipped one).
    incidents : Path
        A folder of incident YAML files, or one YAML file.
    places : Path
        The curated places YAML used with these incidents (the folder's own ``places.yaml``,
        else the shipped one: curated places are gazetteer knowledge, not incidents).
    tracks : Path or None
        The folder of flight-track YAML files, ``None`` when the folder has none.
    shipped : bool
        Whether this is the shipped seeds folder.
    """

    root: Path
    incidents: Path
    places: Path
    tracks: Path | None
    shipped: bool = False


def _has(folder: Path, pattern: str) -> bool:
    return bool(list(folder.glob(pattern)))  # a list: an unfinished glob leaves a scandir open


def _require(path: Path, what: str, hint: str) -> Path:
    if not path.exists():
        raise DataFileError(f"{what} {str(path)!r} does not exist; {hint}")
    return path


def seeds_folder(path: str | os.PathLike | None = None) -> SeedsFolder:
    """Resolve a seeds folder (``--seeds``), or the shipped one when ``path`` is ``None``.

    A seeds folder holds ``incidents/*.yaml`` and optionally ``places.yaml`` and
    ``tracks/*.yaml`` (what ``incidentmap import`` writes). For convenience ``path`` may also
    be a folder of incident YAML files itself, or one incident YAML file; ``places.yaml`` and
    ``tracks/`` are then looked up beside it and, when it is named ``incidents``, in its parent.

    Raises
    ------
    DataFileError
        If ``path`` (or a shipped file) does not exist, or holds no incident files.

    Examples
    --------
    >>> folder = seeds_folder()
    >>> folder.shipped, folder.incidents.name, folder.places.name, folder.tracks.name
    (True, 'incidents', 'places.yaml', 'tracks')
    """
    if path is None:
        root = shipped_seeds_dir()
        hint = "the installed incidentmap is incomplete; reinstall it"
        return SeedsFolder(
            root=root,
            incidents=_require(root / INCIDENTS, "shipped seeds folder", hint),
            places=_require(root / PLACES, "shipped curated places file", hint),
            tracks=_require(root / TRACKS, "shipped tracks folder", hint),
            shipped=True,
        )
    root = Path(path).expanduser()
    _require(root, "seeds path", "give a seeds folder (with incidents/*.yaml) or a YAML file")
    if root.is_file():
        incidents, look_in = root, [root.parent]
    elif (root / INCIDENTS).is_dir():
        incidents, look_in = root / INCIDENTS, [root]
    elif _has(root, "*.yaml") or _has(root, "*.yml"):
        incidents, look_in = root, [root]
        if root.name == INCIDENTS:
            look_in.append(root.parent)
    else:
        raise DataFileError(
            f"seeds folder {str(root)!r} holds no incident files: expected {INCIDENTS}/*.yaml "
            "or *.yaml in it"
        )
    places = next((d / PLACES for d in look_in if (d / PLACES).is_file()), None)
    tracks = next((d / TRACKS for d in look_in if (d / TRACKS).is_dir()), None)
    return SeedsFolder(
        root=root,
        incidents=incidents,
        places=places if places is not None else seeds_folder().places,
        tracks=tracks,
    )


def maps_dir(path: str | os.PathLike | None = None) -> Path:
    """The folder of map specs: ``path`` (``--maps-dir``) or the shipped one.

    Raises
    ------
    DataFileError
        If the folder does not exist or holds no ``*.toml`` spec.
    """
    folder = Path(path).expanduser() if path is not None else shipped_maps_dir()
    _require(folder, "map specs folder", "give a folder of map specs (*.toml) with --maps-dir")
    if not folder.is_dir() or not _has(folder, "*.toml"):
        raise DataFileError(f"map specs folder {str(folder)!r} holds no map specs (*.toml)")
    return folder


def default_build_dir() -> Path:
    """Where ``incidentmap build`` writes maps without ``--out``.

    In a source checkout (an editable install) that is the checkout's ``maps/`` beside the
    specs, as the README's Quick start says; for an installed wheel, whose specs live inside
    site-packages, it is ``./maps`` in the working directory.
    """
    shipped = shipped_maps_dir()
    if (shipped.parent / "pyproject.toml").is_file() and os.access(shipped, os.W_OK):
        return shipped
    return Path.cwd() / "maps"
