"""How data and our own code reach a folium page without ever becoming a template.

branca renders every :class:`MacroElement` in two steps: its macros produce text, and that text
is wrapped in ``Element(text)``, whose constructor compiles it as a **Jinja template** and renders
it again. So any text a macro outputs (a JSON blob, a title, a popup) is template source: ``{{ 7*7
}}`` in a seed note became ``49`` and ``{{ cycler.__init__.__globals__.os.popen(...) }}`` ran a
shell command. JSON escaping does not help; it leaves ``{``, ``}``, ``%`` and ``#`` alone.

The rule of this package: untrusted text never goes into a macro. It travels in a
:class:`DataBlock` (a ``<script type="application/json">`` element written *verbatim* into the page
by a :class:`RawElement`, whose ``render`` returns its text and compiles nothing), and the browser
runtime reads it with ``JSON.parse`` and shows it with ``textContent``. Macros only carry names
we generate (element ids) and numbers.

Text that folium itself renders from a value we pass (layer names in the layer control,
tooltips) is passed through :func:`layers.escape.escape_text` first, which turns every ``{`` and
``}`` into a character reference: without a brace there is no Jinja syntax (``{{``, ``{%``,
``{#``), and the page still shows the braces.
"""

from __future__ import annotations

from branca.element import Element, Figure

from incidentmap.layers.escape import json_for_script


class RawElement(Element):
    """Text written into the page as is: never compiled as a template.

    ``text`` must already be safe where it goes (e.g. :func:`layers.escape.json_for_script`
    output inside a ``<script>``).
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawElement"
        self._text = str(text)

    def render(self, **kwargs) -> str:
        return self._text


def add_raw(figure: Figure, where: str, text: str, *, name: str) -> None:
    """Add ``text`` verbatim to ``figure``'s ``header``, ``html`` or ``script`` (once per name)."""
    getattr(figure, where).add_child(RawElement(text), name=name)


class DataBlock(Element):
    """A JSON value as a ``<script type="application/json" id=...>`` element of the page.

    Add it to any element of a map; at render time it writes itself (verbatim, see
    :class:`RawElement`) into the page's body, before the scripts that read it. Scripts find it
    by :attr:`dom_id` (a name we generate) and read it with ``IncidentMap.data(id)``.
    """

    def __init__(self, value):
        super().__init__()
        self._name = "im_data"
        self.json = json_for_script(value)

    @property
    def dom_id(self) -> str:
        return self.get_name()

    def render(self, **kwargs) -> str:
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise ValueError("a DataBlock must be added to a map before rendering")
        html = f'<script type="application/json" id="{self.dom_id}">{self.json}</script>'
        add_raw(figure, "html", html, name=self.get_name())
        return ""
