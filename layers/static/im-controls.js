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

  /* the controls' boxes that cover a drawn incident marker or cluster */
  IM.coveringBoxes = function (map) {
    var base = map.getContainer().getBoundingClientRect(), boxes = IM.controlBoxes(map);
    var icons = map.getContainer().querySelectorAll(".im-marker, .im-cluster");
    return boxes.filter(function (b) {
      if (b.node.classList.contains("leaflet-control-attribution")) return false;
      for (var k = 0; k < icons.length; k++) {
        var r = icons[k].getBoundingClientRect();
        var x = r.left + r.width / 2 - base.left, y = r.top + r.height / 2 - base.top;
        if (x > b.left - 4 && x < b.right + 4 && y > b.top - 4 && y < b.bottom + 4) return true;
      }
      return false;
    });
  };

  /* padding [top, right, bottom, left] clear of boxes: each takes room from the edge it
   * costs the smaller share of the map to give up (its side, or its top or bottom) */
  IM.controlPadding = function (map, boxes) {
    var size = map.getSize(), pad = [0, 0, 0, 0];
    (boxes || IM.controlBoxes(map)).forEach(function (b) {
      var left = b.left + b.right < size.x, top = b.top + b.bottom < size.y;
      var across = (left ? b.right : size.x - b.left) / size.x;
      var down = (top ? b.bottom : size.y - b.top) / size.y;
      if (across <= down) {
        if (left) pad[3] = Math.max(pad[3], b.right);
        else pad[1] = Math.max(pad[1], size.x - b.left);
      } else if (top) {
        pad[0] = Math.max(pad[0], b.bottom);
      } else {
        pad[2] = Math.max(pad[2], size.y - b.top);
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
    // Escape closes the popup wherever the focus is (a focused marker takes it off the map)
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && map._popup) map.closePopup();
    });
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
      // only controls that cover incidents move the view: fit again with room for them
      var size = map.getSize(), covering = IM.coveringBoxes(map);
      for (var round = 0; round < 3 && covering.length; round++) {
        var p = IM.controlPadding(map, covering);
        if (p[1] + p[3] >= size.x * 0.7 || p[0] + p[2] >= size.y * 0.7) break;
        var z = map.getZoom();
        map.fitBounds(bounds, { animate: false, paddingTopLeft: [p[3] + 6, p[0] + 6],
                                paddingBottomRight: [p[1] + 6, p[2] + 6] });
        if (round > 0 && map.getZoom() === z) map.setZoom(z - 1, { animate: false });
        covering = covering.concat(IM.coveringBoxes(map).filter(function (b) {
          return covering.every(function (c) { return c.node !== b.node; });
        }));
        if (!IM.coveringBoxes(map).length) break;
      }
      IM.settled = true;
    }, 0);
  };
})();
