"""PNG pictures of built maps through headless Chromium (Playwright driving the system browser)."""

from __future__ import annotations

import functools
import http.server
import logging
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

from incidentmap.geo.errors import BrowserNotFoundError

logger = logging.getLogger(__name__)

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium_path() -> str:
    """The system Chromium (Debian ``chromium``), or raise with how to install it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFoundError(
        "no Chromium found on PATH; install it (Debian: apt-get install chromium) for --png"
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        logger.debug("http: " + format, *args)


@contextmanager
def serve_directory(directory):
    """Serve ``directory`` on 127.0.0.1 (an ephemeral port) for the duration; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def write_pngs(
    html_paths, *, out_dir=None, width: int = 1400, height: int = 900, settle_ms: int = 1500
) -> list[Path]:
    """Write ``<name>.png`` of each ``<name>.html`` into ``out_dir`` (default: next to it)."""
    from playwright.sync_api import sync_playwright

    paths = [Path(p) for p in html_paths]
    if not paths:
        return []
    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        try:
            for path in paths:
                with serve_directory(path.parent) as base:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(f"{base}/{path.name}", wait_until="load")
                    page.wait_for_function("window.IncidentMap !== undefined", timeout=30_000)
                    page.wait_for_timeout(settle_ms)
                    folder = Path(out_dir) if out_dir is not None else path.parent
                    folder.mkdir(parents=True, exist_ok=True)
                    png = folder / f"{path.stem}.png"
                    page.screenshot(path=str(png))
                    page.close()
                    logger.info("wrote %s", png)
                    out.append(png)
        finally:
            browser.close()
    return out
