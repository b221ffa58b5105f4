"""Offline copies of the scripts and stylesheets a folium map references.

folium 0.20 and its plugins link their JavaScript and CSS from CDNs (jsdelivr, cdnjs,
code.jquery.com). The same files, at the same versions, are published on the npm registry.
:func:`fetch_assets` (the only function here that uses the network) runs ``npm pack`` for each
package into a local cache; :func:`inline_assets` then replaces every ``<script src>`` and
``<link rel=stylesheet>`` of a rendered map with the file's content, and every ``url(...)`` inside
those stylesheets (layer-control icons, fonts, marker images) with a ``data:`` URI, so that the
HTML file is self-contained and opens with no network.

Where the CDN version is not on npm under the same name, the nearest exact equivalent is used and
said so in :data:`ASSETS` (``drmonty-leaflet-awesome-markers`` republishes Leaflet.awesome-markers
2.0.2; folium's own patched ``leaflet_heat.min.js`` ships inside the folium package).
"""

from __future__ import annotations

import base64
import importlib.resources
import json
import logging
import mimetypes
import os
import posixpath
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from incidentmap.geo.errors import (
    AssetFetchError,
    AssetMissingError,
    DataFileError,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asset:
    """One file a folium map links to, and where the same file lives on npm.

    ``package`` is ``None`` for files shipped inside the folium Python package.
    """

    url: str
    package: str | None
    version: str | None
    path: str


_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
_JSDELIVR = "https://cdn.jsdelivr.net"

#: Every CDN file the maps of this project may reference, as folium 0.20 spells the URL.
ASSETS: tuple[Asset, ...] = (
    # folium.Map defaults
    Asset(f"{_JSDELIVR}/npm/leaflet@1.9.3/dist/leaflet.js", "leaflet", "1.9.3", "dist/leaflet.js"),
    Asset(
        f"{_JSDELIVR}/npm/leaflet@1.9.3/dist/leaflet.css", "leaflet", "1.9.3", "dist/leaflet.css"
    ),
    Asset("https://code.jquery.com/jquery-3.7.1.min.js", "jquery", "3.7.1", "dist/jquery.min.js"),
    Asset(f"{_CDNJS}/jquery/3.7.1/jquery.min.js", "jquery", "3.7.1", "dist/jquery.min.js"),
    Asset(
        f"{_JSDELIVR}/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
        "bootstrap",
        "5.2.2",
        "dist/js/bootstrap.bundle.min.js",
    ),
    Asset(
        f"{_JSDELIVR}/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css",
        "bootstrap",
        "5.2.2",
        "dist/css/bootstrap.min.css",
    ),
    Asset(
        f"{_JSDELIVR}/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
        "@fortawesome/fontawesome-free",
        "6.2.0",
        "css/all.min.css",
    ),
    Asset(
        f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
        "drmonty-leaflet-awesome-markers",
        "2.0.2",
        "js/leaflet.awesome-markers.js",
    ),
    Asset(
        f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
        "drmonty-leaflet-awesome-markers",
        "2.0.2",
        "css/leaflet.awesome-markers.css",
    ),
    # plugins
    Asset(
        f"{_CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
        "leaflet.markercluster",
        "1.1.0",
        "dist/leaflet.markercluster.js",
    ),
    Asset(
        f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css",
        "leaflet.markercluster",
        "1.1.0",
        "dist/MarkerCluster.css",
    ),
    Asset(
        f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
        "leaflet.markercluster",
        "1.1.0",
        "dist/MarkerCluster.Default.css",
    ),
    Asset(
        f"{_JSDELIVR}/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js",
        None,
        None,
        "templates/leaflet_heat.min.js",
    ),
    Asset(
        f"{_JSDELIVR}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.js",
        "leaflet-measure",
        "2.1.7",
        "dist/leaflet-measure.js",
    ),
    Asset(
        f"{_JSDELIVR}/gh/ljagis/leaflet-measure@2.1.7/dist/leaflet-measure.min.css",
        "leaflet-measure",
        "2.1.7",
        "dist/leaflet-measure.css",
    ),
    Asset(
        f"{_JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
        "leaflet.fullscreen",
        "3.0.0",
        "Control.FullScreen.js",
    ),
    Asset(
        f"{_JSDELIVR}/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
        "leaflet.fullscreen",
        "3.0.0",
        "Control.FullScreen.css",
    ),
    Asset(
        f"{_CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.js",
        "leaflet-minimap",
        "3.6.1",
        "dist/Control.MiniMap.min.js",
    ),
    Asset(
        f"{_CDNJS}/leaflet-minimap/3.6.1/Control.MiniMap.css",
        "leaflet-minimap",
        "3.6.1",
        "dist/Control.MiniMap.min.css",
    ),
    Asset(
        f"{_JSDELIVR}/npm/leaflet-search@2.9.7/dist/leaflet-search.min.js",
        "leaflet-search",
        "2.9.7",
        "dist/leaflet-search.min.js",
    ),
    Asset(
        f"{_JSDELIVR}/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css",
        "leaflet-search",
        "2.9.7",
        "dist/leaflet-search.min.css",
    ),
)

#: Stylesheets folium.Map links that no map of this project uses and that npm does not publish
#: at folium's version (Bootstrap 3.0.0's separate glyphicons file; folium's own awesome-marker
#: rotation CSS, which its Python package does not ship); maps drop them.
UNUSED_FOLIUM_CSS = ("glyphicons_css", "awesome_rotate_css")

_BY_URL = {asset.url: asset for asset in ASSETS}


def packages() -> list[tuple[str, str]]:
    """Return the distinct ``(package, version)`` pairs :data:`ASSETS` needs from npm."""
    seen: dict[tuple[str, str], None] = {}
    for asset in ASSETS:
        if asset.package is not None:
            seen[(asset.package, asset.version)] = None
    return list(seen)


def default_cache_dir() -> Path:
    """``$INCIDENTMAP_ASSETS``, else ``assets`` in the cache folder (:mod:`geo.paths`)."""
    from incidentmap.geo.paths import default_cache_dir as cache_folder

    explicit = os.environ.get("INCIDENTMAP_ASSETS")
    return Path(explicit) if explicit else cache_folder() / "assets"


def _tarball_name(package: str, version: str) -> str:
    # the file name npm pack writes: scope "@a/b" -> "a-b"
    return f"{package.lstrip('@').replace('/', '-')}-{version}.tgz"


def missing_packages(*, cache_dir: Path | None = None) -> list[str]:
    """Return ``package@version`` for every npm package not yet in the cache."""
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return [
        f"{package}@{version}"
        for package, version in packages()
        if not (cache / _tarball_name(package, version)).is_file()
    ]


def fetch_assets(
    *, cache_dir: Path | None = None, npm: str = "npm", force: bool = False, timeout_s: float = 120
) -> list[Path]:
    """Download the npm packages of :data:`ASSETS` into ``cache_dir`` with ``npm pack``.

    This is the one function of the package that uses the network (the npm registry). Packages
    already in the cache are kept unless ``force``. Writes ``manifest.json`` with each tarball's
    integrity hash as npm reported it. Returns the tarball paths.
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    npm_path = shutil.which(npm)
    if npm_path is None:
        raise AssetFetchError(
            f"cannot find {npm!r} on PATH; install Node.js/npm (Debian: apt-get install npm) "
            "to fetch the map assets from the npm registry"
        )
    manifest_path = cache / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    paths = []
    for package, version in packages():
        target = cache / _tarball_name(package, version)
        spec = f"{package}@{version}"
        if target.is_file() and not force:
            paths.append(target)
            continue
        logger.info("npm pack %s -> %s", spec, cache)
        try:
            done = subprocess.run(
                [npm_path, "pack", spec, "--json", "--pack-destination", str(cache)],
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
                env={
                    **os.environ,
                    "NPM_CONFIG_LOGLEVEL": "error",
                    "NPM_CONFIG_UPDATE_NOTIFIER": "false",
                },
            )
        except subprocess.TimeoutExpired:
            raise AssetFetchError(f"npm pack {spec} did not finish in {timeout_s} s") from None
        if done.returncode != 0:
            raise AssetFetchError(
                f"npm pack {spec} failed (exit {done.returncode}): {done.stderr.strip()[-400:]}"
            )
        info = json.loads(done.stdout)[0]
        manifest[spec] = {"file": info["filename"], "integrity": info["integrity"]}
        paths.append(target)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return paths


class AssetCache:
    """Read files out of the cached npm tarballs (and folium's own template files)."""

    def __init__(self, cache_dir: Path | None = None):
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self._members: dict[str, dict[str, bytes]] = {}

    def _package_files(self, package: str, version: str) -> dict[str, bytes]:
        key = f"{package}@{version}"
        if key not in self._members:
            tarball = self.cache_dir / _tarball_name(package, version)
            if not tarball.is_file():
                raise AssetMissingError(
                    f"{key} is not in the asset cache {self.cache_dir}; run `incidentmap assets` "
                    "(once, with the npm registry reachable) or build with --cdn"
                )
            files = {}
            try:
                with tarfile.open(tarball, "r:gz") as archive:
                    for member in archive.getmembers():
                        if member.isfile():
                            name = member.name.split("/", 1)[-1]  # drop "package/"
                            files[name] = archive.extractfile(member).read()
            except (tarfile.TarError, OSError) as exc:
                raise DataFileError(f"cannot read {tarball}: {exc}; delete it and re-run") from exc
            self._members[key] = files
        return self._members[key]

    def read(self, asset: Asset, path: str | None = None) -> bytes:
        """Return the bytes of ``path`` (default ``asset.path``) from ``asset``'s package."""
        path = path or asset.path
        if asset.package is None:
            resource = importlib.resources.files("folium").joinpath(path)
            try:
                return resource.read_bytes()
            except OSError:
                raise AssetMissingError(f"folium ships no {path}") from None
        files = self._package_files(asset.package, asset.version)
        if path not in files:
            raise AssetMissingError(f"{asset.package}@{asset.version} has no file {path}")
        return files[path]


_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")


def _data_uri(content: bytes, filename: str) -> str:
    mime = {
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".ttf": "font/ttf",
        ".eot": "application/vnd.ms-fontobject",
        ".svg": "image/svg+xml",
    }.get(posixpath.splitext(filename)[1].lower()) or mimetypes.guess_type(filename)[0]
    return f"data:{mime or 'application/octet-stream'};base64,{base64.b64encode(content).decode()}"


def inline_css(css: str, asset: Asset, cache: AssetCache) -> str:
    """Replace every relative ``url(...)`` in ``css`` by a ``data:`` URI of the referenced file."""

    def replace(match: re.Match) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        if re.match(r"^[a-z]+:|^//", ref, re.I):
            raise AssetMissingError(f"{asset.url} references the remote file {ref}")
        clean = ref.split("#", 1)[0].split("?", 1)[0]
        path = posixpath.normpath(posixpath.join(posixpath.dirname(asset.path), clean))
        return f'url("{_data_uri(cache.read(asset, path), path)}")'

    css = _LEGACY_FONT.sub("", css)
    return _CSS_URL.sub(replace, css)


# @font-face fallbacks for browsers without WOFF2 (none of those Leaflet 1.9 supports): dropped,
# so that inlining does not carry each font twice.
_LEGACY_FONT = re.compile(
    r",\s*url\([^)]*\.(?:ttf|eot|woff|svg)(?:[?#][^)]*)?\)\s*format\([\"'](?:truetype|embedded-opentype|woff|svg)[\"']\)"
)


_SCRIPT_TAG = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_LINK_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')


def _asset_for(url: str) -> Asset:
    try:
        return _BY_URL[url]
    except KeyError:
        raise AssetMissingError(
            f"the map links {url}, which layers.assets.ASSETS does not know; add it there"
        ) from None


def inline_assets(html: str, *, cache_dir: Path | None = None) -> str:
    """Return ``html`` with every linked script and stylesheet inlined from the cache.

    Raises :class:`AssetMissingError` naming the first file that cannot be inlined.
    """
    cache = AssetCache(cache_dir)

    def script(match: re.Match) -> str:
        asset = _asset_for(match.group(1))
        text = cache.read(asset).decode("utf-8")
        text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)
        return f"<script>/* {asset.package or 'folium'} {asset.path} */\n{text}\n</script>"

    def stylesheet(match: re.Match) -> str:
        asset = _asset_for(match.group(1))
        text = inline_css(cache.read(asset).decode("utf-8"), asset, cache)
        text = re.sub(r"</(style)", r"<\\/\1", text, flags=re.I)
        return f"<style>/* {asset.package or 'folium'} {asset.path} */\n{text}\n</style>"

    html = _SCRIPT_TAG.sub(script, html)
    html = _LINK_TAG.sub(stylesheet, html)
    left = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?:[^"]+)"', html)
    if left:
        raise AssetMissingError(f"could not inline {left[0]} (tag in an unexpected form)")
    return html
