"""Make untrusted text safe for the three places it reaches a folium page.

folium inserts popup HTML as is and puts tooltips inside a JavaScript template string
(`` `...` ``), so text from the seeds must be safe both as HTML and inside a template literal;
data blobs go inside ``<script>`` elements, where ``</script>`` would end the script.

* :func:`escape_text` — for any text placed in HTML, a popup or a tooltip: HTML special
  characters and the template-literal specials (`` ` ``, ``$``, ``\\``) become character
  references, so the browser shows them literally and JavaScript never sees them as syntax.
* :func:`safe_url` — only ``http``/``https`` URLs may become links.
* :func:`json_for_script` — JSON that cannot break out of a ``<script>`` element.
"""

from __future__ import annotations

import json
import logging
import math
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

_TEXT_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "`": "&#96;",
    "$": "&#36;",
    "\\": "&#92;",
    "{": "&#123;",
    "}": "&#125;",
}
_TEXT_TABLE = str.maketrans(_TEXT_ESCAPES)


def escape_text(value) -> str:
    """Return ``value`` as text that shows literally in HTML and in a JS template string.

    ``None`` and NaN become the empty string.

    >>> escape_text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    >>> escape_text("${alert(1)} `x`")
    '&#36;&#123;alert(1)&#125; &#96;x&#96;'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).translate(_TEXT_TABLE)


def safe_url(value) -> str | None:
    """Return ``value`` if it is an absolute ``http``/``https`` URL with a host, else ``None``.

    >>> safe_url("https://www.reuters.com/world/")
    'https://www.reuters.com/world/'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
    "`": "\\u0060",
    "$": "\\u0024",
}
_SCRIPT_TABLE = str.maketrans(_SCRIPT_ESCAPES)


def json_for_script(obj) -> str:
    """Serialise ``obj`` as compact JSON that is safe inside a ``<script>`` element.

    Only characters inside JSON strings can be special, and there they are replaced by
    their ``\\uXXXX`` escapes, which JSON and JavaScript decode back to the same text.

    >>> json_for_script({"note": "</script><script>alert(1)</script>"})
    '{"note":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_SCRIPT_TABLE)
