"""Offline assets: the URL table matches folium, and inlining works from a local npm cache."""

import base64
import io
import json
import tarfile

import pytest

import folium
from folium.plugins import Fullscreen, HeatMap, MarkerCluster, MeasureControl, MiniMap, Search

from incidentmap.layers.assets import (
    ASSETS,
    UNUSED_FOLIUM_CSS,
    AssetFetchError,
    AssetMissingError,
    fetch_assets,
    inline_assets,
    missing_packages,
    packages,
)
from incidentmap.layers.mapbuild import choose_assets

PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def _folium_urls():
    m = folium.Map(tiles=None)
    urls = [u for name, u in m.default_js] + [
        u for name, u in m.default_css if name not in UNUSED_FOLIUM_CSS
    ]
    for plugin in (MarkerCluster, HeatMap, MeasureControl, Fullscreen, MiniMap, Search):
        urls += [u for _, u in plugin.default_js] + [u for _, u in plugin.default_css]
    return urls


def test_every_url_the_maps_use_is_in_the_table():
    known = {a.url for a in ASSETS}
    missing = [u for u in _folium_urls() if u not in known]
    assert missing == []


def test_table_pins_exact_versions_that_appear_in_the_url():
    for asset in ASSETS:
        if asset.package is not None:
            assert asset.version in asset.url, asset
    assert ("leaflet", "1.9.3") in packages()
    assert ("leaflet.markercluster", "1.1.0") in packages()


def _tarball(path, files: dict):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _fake_cache(tmp_path):
    cache = tmp_path / "assets"
    cache.mkdir()
    _tarball(
        cache / "leaflet-1.9.3.tgz",
        {
            "dist/leaflet.js": b"window.L_TEST = '</script>';",
            "dist/leaflet.css": b".leaflet-control-layers-toggle"
            b"{background-image:url(images/layers.png)}"
            b'@font-face{src:url(../fonts/x.woff2) format("woff2"),'
            b'url(../fonts/x.ttf) format("truetype")}',
            "dist/images/layers.png": PNG_1PX,
            "fonts/x.woff2": b"wOF2",
        },
    )
    return cache


def test_inline_assets_makes_a_page_self_contained(tmp_path):
    cache = _fake_cache(tmp_path)
    html = (
        '<head><script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>'
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/></head>'
    )
    out = inline_assets(html, cache_dir=cache)
    assert "https://" not in out
    assert "window.L_TEST = '<\\/script>'" in out  # cannot close the inline script early
    assert f'url("data:image/png;base64,{base64.b64encode(PNG_1PX).decode()}")' in out
    assert "data:font/woff2;base64," in out and ".ttf" not in out


def test_missing_package_names_the_command_to_run(tmp_path):
    html = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
    with pytest.raises(AssetMissingError, match="incidentmap assets"):
        inline_assets(html, cache_dir=tmp_path)
    assert "jquery@3.7.1" in missing_packages(cache_dir=tmp_path)


def test_unknown_url_is_an_error_not_a_silent_link(tmp_path):
    with pytest.raises(AssetMissingError, match="does not know"):
        inline_assets('<script src="https://evil.example/x.js"></script>', cache_dir=tmp_path)


def _fill_cache(cache_dir):
    for package, version in packages():
        name = package.lstrip("@").replace("/", "-")
        _tarball(cache_dir / f"{name}-{version}.tgz", {"x": b""})


def _unreachable(*, cache_dir):
    raise AssetFetchError("npm pack leaflet@1.9.3 failed: registry unreachable")


def test_choose_assets_modes(tmp_path):
    assert choose_assets("cdn", cache_dir=tmp_path) == ("cdn", None)
    with pytest.raises(AssetMissingError, match="--offline"):
        choose_assets("offline", cache_dir=tmp_path)
    # default: no cache and no registry -> CDN links, with a warning naming the fix
    choice, note = choose_assets("auto", cache_dir=tmp_path, fetch=_unreachable)
    assert choice == "cdn" and "incidentmap assets" in note and "unreachable" in note
    # default: the first build fills the cache, then inlines
    assert choose_assets("auto", cache_dir=tmp_path, fetch=_fill_cache) == ("inline", None)
    assert choose_assets("offline", cache_dir=tmp_path) == ("inline", None)


def test_fetch_assets_without_npm_says_how_to_install_it(tmp_path):
    with pytest.raises(ConnectionError, match="npm"):
        fetch_assets(cache_dir=tmp_path, npm="no-such-npm-binary")
    assert not (tmp_path / "manifest.json").exists()
    assert json.dumps(packages())  # table is plain data
