/* incidentmap runtime (markers and clusters): the incident layers, their icons and grid
 * clustering, reveal of one incident. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var U = IM.util, el = U.el;
  var mercX = U.mercX, mercY = U.mercY, unmerc = U.unmerc;

  /* Icons are cloned from a DOM template: a divIcon's html string goes through the HTML
   * parser for every marker, which costs milliseconds each and dominated drawing time. */
  var TemplateIcon = L.Icon.extend({
    createIcon: function (oldIcon) {
      var div = oldIcon && oldIcon.tagName === "DIV" ? oldIcon : document.createElement("div");
      while (div.firstChild) div.removeChild(div.firstChild);
      div.appendChild(this.options.template.cloneNode(true));
      this._setIconStyles(div, "icon");
      return div;
    },
    createShadow: function () { return null; },
  });

  function pinTemplate(style) {
    var pin = el("span", "im-pin");
    pin.style.setProperty("--im-c", style.color);
    pin.appendChild(el("i", "fa-solid " + style.icon));
    return pin;
  }

  var icons = {};
  function icon(style, status) {
    var key = style.kind + "/" + status;
    if (!icons[key]) {
      icons[key] = new TemplateIcon({
        template: pinTemplate(style),
        className: "im-marker im-k-" + style.kind + " im-s-" + status,
        iconSize: [26, 26],
        iconAnchor: [13, 13],
        popupAnchor: [0, -12],
      });
    }
    return icons[key];
  }

  /* A cluster icon: the total in a small SVG donut whose arcs are the mix of kinds
   * (built with DOM calls, cached per total and mix rounded to twelfths). */
  var SVG_NS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }
  var clusterIcons = {};
  function clusterIcon(styles, counts, n) {
    var key = n + ":" + counts.map(function (c) {
      return c ? Math.max(1, Math.round((12 * c) / n)) : 0;
    }).join(",");
    if (!clusterIcons[key]) {
      var size = n < 10 ? 32 : n < 100 ? 38 : n < 1000 ? 44 : 50;
      var box = svg("svg", { viewBox: "0 0 42 42", width: size, height: size, "aria-hidden": "true" });
      box.appendChild(svg("circle", { cx: 21, cy: 21, r: 20, fill: "#fff", "fill-opacity": 0.9 }));
      var offset = 25;  // start at 12 o'clock (circumference 100)
      counts.forEach(function (c, k) {
        if (!c) return;
        var share = (100 * c) / n;
        box.appendChild(svg("circle", {
          cx: 21, cy: 21, r: 15.915, fill: "none", stroke: styles[k].color, "stroke-width": 7,
          "stroke-dasharray": share + " " + (100 - share), "stroke-dashoffset": offset,
        }));
        offset -= share;
      });
      var label = svg("text", { x: 21, y: 21, "text-anchor": "middle", dy: "0.35em" });
      label.textContent = String(n);
      box.appendChild(label);
      var kinds = styles.filter(function (s, k) { return counts[k]; })
        .map(function (s) { return " im-cluster-" + s.kind; }).join("");
      clusterIcons[key] = new TemplateIcon({
        template: box, className: "im-cluster" + kinds, iconSize: [size, size],
      });
    }
    return clusterIcons[key];
  }

  var CELL_PX = 56;
  /* long popups scroll instead of growing past the screen (and panning the map away) */
  var POPUP_MAX_HEIGHT_PX = 420;
  IM.POPUP_OPTIONS = { maxWidth: 380, minWidth: 240, maxHeight: POPUP_MAX_HEIGHT_PX };
  /* a cluster of at most this many incidents at one point spreads out (spiderfy); more: a list */
  var SPIDER_MAX = 40;
  var CODE = 16777216;  // member code: layer number * CODE + index in the layer

  /* One kind's incidents: points in typed arrays, markers made lazily. The layer is what the
   * layer control toggles; the drawing is done by the map's one Clusterer across all kinds. */
  var IncidentLayer = L.Layer.extend({
    initialize: function (data) {
      var n = data.lat.length;
      this.data = data;
      this.n = n;
      this.mx = new Float64Array(n);
      this.my = new Float64Array(n);
      for (var i = 0; i < n; i++) {
        this.mx[i] = mercX(data.lon[i]);
        this.my[i] = mercY(data.lat[i]);
      }
      this.visible = new Uint8Array(n).fill(1);
      this.markers = {};
      this.on = false;
    },
    onAdd: function (map) {
      this.on = true;
      this.clusterer = clusterer(map);
      this.clusterer.add(this);
      this.clusterer.redraw();
    },
    onRemove: function () {
      this.on = false;
      this.clusterer.unspider();
      this.clusterer.redraw();
    },
    redraw: function () { if (this.clusterer) this.clusterer.redraw(); },
    marker: function (i) {
      if (!this.markers[i]) {
        var data = this.data, name = IM.title(data, i);
        var m = L.marker([data.lat[i], data.lon[i]], {
          icon: icon(data.style, data.status[data.st[i]]),
          title: name,
          keyboard: true,
        });
        m.on("add", function () {
          var node = m.getElement();
          if (!node) return;
          node.setAttribute("role", "button");
          node.setAttribute("aria-label", data.style.label + ", " + data.status[data.st[i]] +
                            ": " + name);
        });
        m.bindPopup(function () { return IM.popup(IM.record(data, i)); }, IM.POPUP_OPTIONS);
        this.markers[i] = m;
        if (IM.decorate) IM.decorate(m, this, i);  // maps2 hook: precision halo (im-honest.js)
      }
      return this.markers[i];
    },
    /* zoom until incident i is drawn on its own (or spread out of its stack); its marker */
    reveal: function (i) { return this.clusterer ? this.clusterer.reveal(this, i) : null; },
  });

  /* The map's one clustering across every kind shown: at every move or zoom the points in view
   * are grouped in a grid of CELL_PX screen pixels (one O(n) pass over all kinds), and only the
   * groups are drawn: a marker for a lone incident, a donut cluster otherwise. */
  function Clusterer(map) {
    this.map = map;
    this.layers = [];
    this.group = L.layerGroup().addTo(map);
    this.spider = null;
    map.on("moveend", this.redraw, this);
    map.on("zoomstart", this.unspider, this);
    map.on("click", function () { if (this.spider) { this.unspider(); this.redraw(); } }, this);
  }
  Clusterer.prototype = {
    add: function (layer) {
      if (this.layers.indexOf(layer) < 0) {
        layer.k = this.layers.length;
        this.layers.push(layer);
      }
    },
    styles: function () { return this.layers.map(function (l) { return l.data.style; }); },
    /* the groups of visible incidents in view at the current zoom (spread-out ones excepted) */
    groups: function (skipSpider) {
      var map = this.map, z = map.getZoom(), nk = this.layers.length;
      var cell = CELL_PX / (256 * Math.pow(2, z));
      var b = map.getBounds().pad(0.3);
      var x0 = mercX(b.getWest()), x1 = mercX(b.getEast());
      var y0 = mercY(b.getNorth()), y1 = mercY(b.getSouth());
      var cells = new Map(), spider = skipSpider && this.spider ? this.spider.codes : null;
      for (var k = 0; k < nk; k++) {
        var layer = this.layers[k];
        if (!layer.on) continue;
        var mx = layer.mx, my = layer.my, vis = layer.visible, base = k * CODE;
        for (var i = 0; i < layer.n; i++) {
          if (!vis[i]) continue;
          var x = mx[i], y = my[i];
          if (x < x0 || x > x1 || y < y0 || y > y1) continue;
          if (spider && spider.has(base + i)) continue;
          var key = Math.floor(x / cell) * 4194304 + Math.floor(y / cell);
          var c = cells.get(key);
          if (!c) {
            cells.set(key, (c = { members: [], sx: 0, sy: 0, counts: new Array(nk).fill(0) }));
          }
          c.members.push(base + i);
          c.counts[k]++;
          c.sx += x;
          c.sy += y;
        }
      }
      return cells;
    },
    redraw: function () {
      var self = this, layers = [], styles = this.styles(), all = this.layers;
      this.groups(true).forEach(function (c) {
        var n = c.members.length;
        if (n === 1) {
          var code = c.members[0];
          layers.push(all[Math.floor(code / CODE)].marker(code % CODE));
          return;
        }
        var centre = unmerc(c.sx / n, c.sy / n);
        var mix = c.counts.map(function (m, k) { return m ? m + " " + styles[k].label : ""; })
          .filter(Boolean).join(", ");
        var cm = L.marker(centre, { icon: clusterIcon(styles, c.counts, n), keyboard: true,
                                    title: n + " incidents: " + mix });
        cm.on("add", function () {
          var node = cm.getElement();
          if (node) { node.setAttribute("role", "button");
                      node.setAttribute("aria-label", n + " incidents: " + mix); }
        });
        cm.on("click", function () { self.openCluster(c, centre); });
        layers.push(cm);
      });
      if (this.spider) layers = layers.concat(this.spider.legs, this.spider.markers);
      // keep markers that stay (their DOM, open popups and focus survive a pan), swap the rest
      var keep = {}, group = this.group;
      layers.forEach(function (l) { keep[L.stamp(l)] = true; });
      // a marker whose popup is open stays until the popup closes: a tall popup pans the map
      // (autoPan), and dropping its marker then would close the popup being read
      group.eachLayer(function (l) {
        if (!keep[L.stamp(l)] && !(l.isPopupOpen && l.isPopupOpen())) group.removeLayer(l);
      });
      layers.forEach(function (l) { if (!group.hasLayer(l)) group.addLayer(l); });
      this.drawnCount = layers.length;
      IM.drawnCount = layers.length;
    },
    bounds: function (members) {
      var minx = 1, maxx = 0, miny = 1, maxy = 0, all = this.layers;
      members.forEach(function (code) {
        var l = all[Math.floor(code / CODE)], i = code % CODE;
        minx = Math.min(minx, l.mx[i]); maxx = Math.max(maxx, l.mx[i]);
        miny = Math.min(miny, l.my[i]); maxy = Math.max(maxy, l.my[i]);
      });
      return { minx: minx, maxx: maxx, miny: miny, maxy: maxy };
    },
    /* zoom into a cluster; when its incidents (nearly) share one place, spread them out */
    openCluster: function (c, centre) {
      var map = this.map, b = this.bounds(c.members);
      var spanPx = Math.max(b.maxx - b.minx, b.maxy - b.miny) * 256 * Math.pow(2, map.getMaxZoom());
      if (spanPx < CELL_PX || map.getZoom() >= map.getMaxZoom()) {
        if (c.members.length <= SPIDER_MAX) this.spiderfy(c.members, centre);
        else this.list(c.members, centre);
      } else {
        map.fitBounds(L.latLngBounds(unmerc(b.minx, b.maxy), unmerc(b.maxx, b.miny)),
                      { padding: [40, 40] });
      }
    },
    /* spread stacked incidents on a circle (a spiral for many) around their point, with legs */
    spiderfy: function (members, centre) {
      this.unspider();
      var map = this.map, all = this.layers, n = members.length;
      var p0 = map.latLngToLayerPoint(centre), spider = {
        codes: new Set(members), markers: [], legs: [], centre: centre };
      var angle = 0, legPx = 11;  // a spiral like Leaflet.markercluster's for many
      members.forEach(function (code, j) {
        var dx, dy;
        if (n <= 9) {
          var r = Math.max(34, (30 * (2 + n)) / (2 * Math.PI));
          dx = r * Math.cos((2 * Math.PI * j) / n - Math.PI / 2);
          dy = r * Math.sin((2 * Math.PI * j) / n - Math.PI / 2);
        } else {
          angle += 30 / legPx + j * 0.0005;
          dx = legPx * Math.cos(angle);
          dy = legPx * Math.sin(angle);
          legPx += (2 * Math.PI * 5) / angle;
        }
        var at = map.layerPointToLatLng(L.point(p0.x + dx, p0.y + dy));
        var layer = all[Math.floor(code / CODE)], m = layer.marker(code % CODE);
        m.setLatLng(at);
        spider.markers.push(m);
        spider.legs.push(L.polyline([centre, at], { color: "#333", weight: 1.5, opacity: 0.6,
                                                    interactive: false }));
      });
      this.spider = spider;
      this.redraw();
      return spider;
    },
    unspider: function () {
      var s = this.spider, all = this.layers;
      if (!s) return;
      this.spider = null;
      s.codes.forEach(function (code) {
        var l = all[Math.floor(code / CODE)], i = code % CODE;
        if (l.markers[i]) l.markers[i].setLatLng([l.data.lat[i], l.data.lon[i]]);
      });
    },
    /* a popup listing the incidents of a large stack */
    list: function (members, centre) {
      var map = this.map, all = this.layers, box = el("div", "im-popup");
      box.appendChild(el("div", "im-popup-title", members.length + " incidents here"));
      var ul = el("ul", "im-cluster-list");
      members.slice(0, 200).forEach(function (code) {
        var layer = all[Math.floor(code / CODE)], i = code % CODE;
        var li = el("li"), a = el("a", "im-cluster-item", IM.title(layer.data, i));
        a.href = "#";
        a.addEventListener("click", function (e) {
          e.preventDefault();
          L.popup(IM.POPUP_OPTIONS).setLatLng(centre)
            .setContent(IM.popup(IM.record(layer.data, i))).openOn(map);
        });
        li.appendChild(a);
        ul.appendChild(li);
      });
      box.appendChild(ul);
      L.popup({ maxWidth: 380 }).setLatLng(centre).setContent(box).openOn(map);
    },
    /* zoom until incident i of layer is drawn on its own; if it shares its point with others,
     * spread the stack out. Returns its marker. */
    reveal: function (layer, i) {
      var map = this.map, code = layer.k * CODE + i, data = layer.data, stack = null;
      this.unspider();
      for (var z = Math.max(map.getZoom(), 5); z <= map.getMaxZoom(); z++) {
        map.setView([data.lat[i], data.lon[i]], z, { animate: false });
        var alone = false;
        stack = null;
        this.groups(false).forEach(function (c) {
          if (c.members.indexOf(code) < 0) return;
          if (c.members.length === 1) alone = true;
          else stack = c;
        });
        if (alone) break;
        if (stack) {
          var b = this.bounds(stack.members);
          var spanPx = Math.max(b.maxx - b.minx, b.maxy - b.miny) * 256 *
            Math.pow(2, map.getMaxZoom());
          if (spanPx < CELL_PX && stack.members.length <= SPIDER_MAX) break;
        }
        stack = null;
      }
      if (stack && stack.members.length > 1) {
        var n = stack.members.length;
        this.spiderfy(stack.members, unmerc(stack.sx / n, stack.sy / n));
      } else {
        this.redraw();
      }
      return layer.markers[i] || null;
    },
  };

  function clusterer(map) {
    if (!map._imClusterer) map._imClusterer = new Clusterer(map);
    return map._imClusterer;
  }
  IM.clusterer = clusterer;
  IM.redrawAll = function () {
    var seen = [];
    IM.layers.forEach(function (layer) {
      if (layer.clusterer && seen.indexOf(layer.clusterer) < 0) {
        seen.push(layer.clusterer);
        layer.clusterer.redraw();
      }
    });
  };

  /* data: {style:{kind,label,color,icon}, status:[names], lat, lon, st, d0, d1, [de], pop:{columns}} */
  IM.addIncidents = function (map, group, data) {
    if (IM.firstAdd === undefined) IM.firstAdd = performance.now();
    var layer = new IncidentLayer(data);
    layer.group = group;
    IM.layers.push(layer);
    clusterer(map).add(layer);
    group.addLayer(layer);
    IM.drawn = (IM.drawn || 0) + layer.n;
    IM.readyAt = performance.now();
    IM.pending = 0;
    return layer;
  };

  IM.clusterIcon = clusterIcon;
  /* zoom to the incident with this id so that its own marker is drawn; return that marker */
  IM.reveal = function (id) {
    var hit = IM.find(id);
    return hit ? hit.layer.reveal(hit.index) : null;
  };
})();
