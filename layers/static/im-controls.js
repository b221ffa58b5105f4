/* incidentmap runtime (controls): the title box and boxes of escaped markup (legend). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el;

  /* a control box; fill(div) puts its content in */
  function boxControl(map, position, cls, style, fill) {
    var c = L.control({ position: position });
    c.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      fill(div);
      if (style) div.style.cssText = style;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return c.addTo(map);
  }

  /* the map title and subtitle, as text nodes */
  IM.titleControl = function (map, data) {
    return boxControl(map, "topleft", "im-title leaflet-bar", "", function (div) {
      div.appendChild(document.createTextNode(data.title));
      if (data.subtitle) div.appendChild(el("small", null, data.subtitle));
    });
  };

  /* a box of markup built by layers.controls from our own words (every text escaped there) */
  IM.htmlControl = function (map, data) {
    return boxControl(map, data.position, data.css_class, data.style, function (div) {
      div.innerHTML = data.html;
    });
  };
})();
(function () {
  "use strict";
  var IM = window.IncidentMap;
  var el = IM.util.el;

  /* a phone or a small window: the panels start collapsed */
  IM.narrow = function (map) {
    var s = map.getSize();
    return s.x < 700 || s.y < 520;
  };

  /* the boxes of the controls shown, in map container pixels: [{left, top, right, bottom}] */
  IM.controlBoxes = function (map) {
    var c = map.getContainer(), base = c.getBoundingClientRect(), out = [];
    c.querySelectorAll(".leaflet-control-container .leaflet-control").forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (!r.width || !r.height || getComputedStyle(node).visibility === "hidden") return;
      out.push({ left: r.left - base.left, top: r.top - base.top,
                 right: r.right - base.left, bottom: r.bottom - base.top, node: node });
    });
    return out;
  };

  /* padding [top, right, bottom, left] that keeps a view clear of the controls: a box wider
   * than tall takes room from its top or bottom edge, a taller one from its side */
  IM.controlPadding = function (map) {
    var size = map.getSize(), pad = [0, 0, 0, 0];
    IM.controlBoxes(map).forEach(function (b) {
      if (b.node.classList.contains("leaflet-control-attribution")) return;
      var w = b.right - b.left, h = b.bottom - b.top;
      var cx = (b.left + b.right) / 2, cy = (b.top + b.bottom) / 2;
      if (w > h) {
        if (cy < size.y / 2) pad[0] = Math.max(pad[0], b.bottom);
        else pad[2] = Math.max(pad[2], size.y - b.top);
      } else if (cx < size.x / 2) {
        pad[3] = Math.max(pad[3], b.right);
      } else {
        pad[1] = Math.max(pad[1], size.x - b.left);
      }
    });
    return pad;
  };

  /* the layer panel gets a close button and its toggle a label; on narrow screens it and the
   * legend start collapsed */
  function collapsible(map) {
    var c = map.getContainer(), narrow = IM.narrow(map);
    var panel = c.querySelector(".leaflet-control-layers");
    if (panel && !panel.querySelector(".im-collapse")) {
      var link = panel.querySelector(".leaflet-control-layers-toggle");
      if (link) {
        link.setAttribute("aria-label", "Show the layers");
        link.addEventListener("click", function (e) {
          e.preventDefault();
          panel.classList.add("leaflet-control-layers-expanded");
        });
      }
      var close = el("button", "im-collapse", "\u00d7");
      close.type = "button";
      close.title = "Hide the layers";
      close.setAttribute("aria-label", "Hide the layers");
      close.addEventListener("click", function (e) {
        L.DomEvent.stop(e);
        panel.classList.remove("leaflet-control-layers-expanded");
        if (link) link.blur();
      });
      var list = panel.querySelector(".leaflet-control-layers-list") || panel;
      list.insertBefore(close, list.firstChild);
      if (narrow) panel.classList.remove("leaflet-control-layers-expanded");
    }
    if (narrow) {
      c.querySelectorAll(".im-legend details").forEach(function (d) { d.open = false; });
    }
    // labels on the controls that have none (select, range, checkboxes, buttons)
    c.querySelectorAll(".leaflet-control-layers-selector").forEach(function (input) {
      var label = input.closest("label");
      if (label && !input.getAttribute("aria-label")) {
        input.setAttribute("aria-label", label.textContent.trim());
      }
    });
    c.querySelectorAll("a.leaflet-control-zoom-in, a.leaflet-control-zoom-out").forEach(function (a) {
      a.setAttribute("aria-label", a.title);
    });
  }

  /* polygons and lines stay out of the Tab order (Chromium focuses interactive SVG paths) */
  function unfocusPaths(map) {
    map.getContainer().querySelectorAll(".leaflet-pane svg path").forEach(function (path) {
      if (!path.hasAttribute("tabindex")) path.setAttribute("tabindex", "-1");
    });
  }
  IM.unfocusPaths = unfocusPaths;

  /* open the map on bounds; once every control is there, fit again clear of them */
  IM.openView = function (map, bounds) {
    map.fitBounds(bounds, { animate: false });
    map._imOpenBounds = bounds;
    IM.settled = false;
    setTimeout(function () {
      collapsible(map);
      unfocusPaths(map);
      var pending = false;
      map.on("layeradd", function () {
        if (pending) return;
        pending = true;
        setTimeout(function () { pending = false; unfocusPaths(map); }, 0);
      });
      var p = IM.controlPadding(map), size = map.getSize();
      // a view too small for the padding keeps the plain fit
      if (p[1] + p[3] < size.x * 0.6 && p[0] + p[2] < size.y * 0.6) {
        map.fitBounds(bounds, { animate: false, paddingTopLeft: [p[3] + 4, p[0] + 4],
                                paddingBottomRight: [p[1] + 4, p[2] + 4] });
      }
      IM.settled = true;
    }, 0);
  };
})();
