/* incidentmap runtime (side list): the incidents in view (date, place, kind, status), those
 * inside the time range and on a layer that is shown, in date order. It follows the map (pan,
 * zoom, layers), the time range and the open popup; arrow keys move through it, Enter (or a
 * click) opens the incident's popup. Text only (textContent). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var U = IM.util, el = U.el, cell = U.cell, dateText = U.dateText;

  /** rows drawn at most (the rest are counted): a list of 100 k rows helps no one */
  var MAX_ROWS = 300;

  /* the incidents in view: [{id, layer, i, d0}] in date order */
  IM.inView = function () {
    var map = IM.map, out = [];
    if (!map) return out;
    var b = map.getBounds();
    IM.layers.forEach(function (layer) {
      if (!layer._map) return;
      var d = layer.data;
      for (var i = 0; i < layer.n; i++) {
        if (layer.visible[i] && b.contains([d.lat[i], d.lon[i]])) {
          out.push({ id: cell(d.pop.id, i), layer: layer, i: i, d0: IM.span(d, i)[0] });
        }
      }
    });
    out.sort(function (a, b2) { return a.d0 - b2.d0 || (a.id < b2.id ? -1 : a.id > b2.id ? 1 : 0); });
    return out;
  };

  IM.sideList = function (map) {
    var active = null, items = [], ul, head, body;
    var Control = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "im-list leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        head = el("button", "im-list-head", "Incidents in view");
        head.type = "button";
        head.setAttribute("aria-expanded", "true");
        body = el("div", "im-list-body");
        ul = el("ul", "im-list-items");
        ul.tabIndex = 0;
        ul.setAttribute("role", "listbox");
        ul.setAttribute("aria-label", "Incidents in view; arrow keys move, Enter opens");
        body.appendChild(ul);
        box.appendChild(head);
        box.appendChild(body);
        head.addEventListener("click", function () {
          var open = body.style.display === "none";
          body.style.display = open ? "" : "none";
          head.setAttribute("aria-expanded", open ? "true" : "false");
        });
        if (window.innerWidth < 600) head.click();  // collapsed on phones
        ul.addEventListener("keydown", onKey);
        return box;
      },
    });

    function mark() {
      var rows = ul.children;
      for (var k = 0; k < rows.length; k++) {
        var on = rows[k].dataset.id === active;
        rows[k].setAttribute("aria-selected", on ? "true" : "false");
        rows[k].classList.toggle("im-list-active", on);
        if (on) {
          ul.setAttribute("aria-activedescendant", rows[k].id);
          if (rows[k].scrollIntoView) rows[k].scrollIntoView({ block: "nearest" });
        }
      }
    }

    function render() {
      items = IM.inView();
      while (ul.firstChild) ul.removeChild(ul.firstChild);
      items.slice(0, MAX_ROWS).forEach(function (it, k) {
        var d = it.layer.data, i = it.i;
        var li = el("li", "im-list-item");
        li.id = "im-list-" + k;
        li.dataset.id = it.id;
        li.setAttribute("role", "option");
        li.appendChild(el("span", "im-list-date", IM.util.whenText(d, i)));
        li.appendChild(el("span", "im-list-place", cell(d.pop.place, i) || it.id));
        li.appendChild(el("span", "im-list-kind", d.style.label));
        li.appendChild(el("span", "im-list-status im-s-" + d.status[d.st[i]], d.status[d.st[i]]));
        li.addEventListener("click", function () { active = it.id; mark(); open(); });
        ul.appendChild(li);
      });
      if (items.length > MAX_ROWS) {
        ul.appendChild(el("li", "im-list-more", "\u2026 and " + (items.length - MAX_ROWS) +
                          " more: zoom in or narrow the dates"));
      }
      head.textContent = "Incidents in view (" + items.length + ")";
      mark();
    }

    function open() {
      if (!active) return;
      var id = active;
      IM.openIncident(id);
      active = id;
      mark();
    }

    function onKey(e) {
      var shown = items.slice(0, MAX_ROWS);
      if (!shown.length) return;
      var k = -1;
      for (var j = 0; j < shown.length; j++) if (shown[j].id === active) k = j;
      if (e.key === "ArrowDown") k = Math.min(shown.length - 1, k + 1);
      else if (e.key === "ArrowUp") k = Math.max(0, k - 1);
      else if (e.key === "Home") k = 0;
      else if (e.key === "End") k = shown.length - 1;
      else if (e.key === "Enter") { open(); ul.focus(); e.preventDefault(); return; }
      else return;
      e.preventDefault();
      active = shown[k].id;
      mark();
    }

    var control = new Control().addTo(map);
    map.on("moveend overlayadd overlayremove", render);
    map.on("popupopen", function (e) {
      var src = e.popup && e.popup._source, id = (e.popup && e.popup.imId) || (src && src.imId);
      if (id) { active = id; mark(); }
    });
    IM.onTime(render);
    render();
    IM.list = { control: control, render: render, items: function () { return items; } };
    return control;
  };

  /* added with the sharing tools once the page has built its map */
  document.addEventListener("DOMContentLoaded", function () {
    if (IM.map && IM.layers.length && !IM.list) IM.sideList(IM.map);
  });
})();
