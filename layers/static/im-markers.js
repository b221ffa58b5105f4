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

  var clusterIcons = {};
  function clusterIcon(style, n) {
    var key = style.kind + "/" + n;
    if (!clusterIcons[key]) {
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
      var box = el("div");
      box.style.background = style.color;
      box.appendChild(el("span", null, String(n)));
      clusterIcons[key] = new TemplateIcon({
        template: box,
        className: "im-cluster im-cluster-" + style.kind,
        iconSize: [size, size],
      });
    }
    return clusterIcons[key];
  }
  var CELL_PX = 56;
  /* long popups scroll instead of growing past the screen (and panning the map away) */
  var POPUP_MAX_HEIGHT_PX = 420;

  /* One kind's incidents. Points live in typed arrays; at every move or zoom the points in view
   * are grouped in a grid of CELL_PX screen pixels (one O(n) pass), and only the groups are drawn:
   * a marker for a lone incident, a numbered cluster otherwise. Markers are made lazily. */
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
      this.drawnGroup = L.layerGroup();
    },
    onAdd: function (map) {
      this.drawnGroup.addTo(map);
      map.on("moveend", this.redraw, this);
      this.redraw();
    },
    onRemove: function (map) {
      map.off("moveend", this.redraw, this);
      this.drawnGroup.clearLayers();
      map.removeLayer(this.drawnGroup);
    },
    marker: function (i) {
      if (!this.markers[i]) {
        var data = this.data;
        var m = L.marker([data.lat[i], data.lon[i]], {
          icon: icon(data.style, data.status[data.st[i]]),
          title: IM.title(data, i),
          keyboard: false,
        });
        m.bindPopup(function () { return IM.popup(IM.record(data, i)); },
                    { maxWidth: 380, minWidth: 240, maxHeight: POPUP_MAX_HEIGHT_PX });
        this.markers[i] = m;
      }
      return this.markers[i];
    },
    /* the groups of visible incidents in view at the current zoom */
    groups: function () {
      var map = this._map, z = map.getZoom();
      var cell = CELL_PX / (256 * Math.pow(2, z));
      var b = map.getBounds().pad(0.3);
      var x0 = mercX(b.getWest()), x1 = mercX(b.getEast());
      var y0 = mercY(b.getNorth()), y1 = mercY(b.getSouth());
      var cells = new Map(), mx = this.mx, my = this.my, vis = this.visible;
      for (var i = 0; i < this.n; i++) {
        if (!vis[i]) continue;
        var x = mx[i], y = my[i];
        if (x < x0 || x > x1 || y < y0 || y > y1) continue;
        var key = Math.floor(x / cell) * 4194304 + Math.floor(y / cell);
        var c = cells.get(key);
        if (!c) cells.set(key, (c = { members: [], sx: 0, sy: 0 }));
        c.members.push(i);
        c.sx += x;
        c.sy += y;
      }
      return cells;
    },
    redraw: function () {
      var map = this._map;
      if (!map) return;
      var self = this, layers = [];
      this.groups().forEach(function (c) {
        if (c.members.length === 1) {
          layers.push(self.marker(c.members[0]));
        } else {
          var centre = unmerc(c.sx / c.members.length, c.sy / c.members.length);
          var cm = L.marker(centre, { icon: clusterIcon(self.data.style, c.members.length),
                                      keyboard: false });
          cm.on("click", function () { self.openCluster(c, centre); });
          layers.push(cm);
        }
      });
      // keep markers that stay (their DOM, open popups and focus survive a pan), swap the rest
      var keep = {}, group = this.drawnGroup;
      layers.forEach(function (l) { keep[L.stamp(l)] = true; });
      // a marker whose popup is open stays until the popup closes: a tall popup pans the map
      // (autoPan), and dropping its marker then would close the popup being read
      group.eachLayer(function (l) {
        if (!keep[L.stamp(l)] && !(l.isPopupOpen && l.isPopupOpen())) group.removeLayer(l);
      });
      layers.forEach(function (l) { if (!group.hasLayer(l)) group.addLayer(l); });
      this.drawnCount = layers.length;
    },
    /* zoom into a cluster, or list its incidents when they (nearly) share one place */
    openCluster: function (c, centre) {
      var map = this._map, mx = this.mx, my = this.my;
      var minx = 1, maxx = 0, miny = 1, maxy = 0;
      c.members.forEach(function (i) {
        minx = Math.min(minx, mx[i]); maxx = Math.max(maxx, mx[i]);
        miny = Math.min(miny, my[i]); maxy = Math.max(maxy, my[i]);
      });
      var spanPx = Math.max(maxx - minx, maxy - miny) * 256 * Math.pow(2, map.getMaxZoom());
      if (spanPx < CELL_PX || map.getZoom() >= map.getMaxZoom()) {
        var self = this, box = el("div", "im-popup");
        box.appendChild(el("div", "im-popup-title", c.members.length + " incidents here"));
        var ul = el("ul", "im-cluster-list");
        c.members.slice(0, 200).forEach(function (i) {
          var li = el("li"), a = el("a", "im-cluster-item", IM.title(self.data, i));
          a.href = "#";
          a.addEventListener("click", function (e) {
            e.preventDefault();
            L.popup({ maxWidth: 380, minWidth: 240 }).setLatLng(centre)
              .setContent(IM.popup(IM.record(self.data, i))).openOn(map);
          });
          li.appendChild(a);
          ul.appendChild(li);
        });
        box.appendChild(ul);
        L.popup({ maxWidth: 380 }).setLatLng(centre).setContent(box).openOn(map);
      } else {
        map.fitBounds(L.latLngBounds(unmerc(minx, maxy), unmerc(maxx, miny)), { padding: [40, 40] });
      }
    },
    /* zoom until incident i is drawn on its own (or is as alone as it gets); return its marker */
    reveal: function (i) {
      var map = this._map;
      for (var z = Math.max(map.getZoom(), 5); z <= map.getMaxZoom(); z++) {
        map.setView([this.data.lat[i], this.data.lon[i]], z, { animate: false });
        var alone = false;
        this.groups().forEach(function (c) {
          if (c.members.length === 1 && c.members[0] === i) alone = true;
        });
        if (alone) break;
      }
      this.redraw();
      return this.markers[i] || null;
    },
  });

  /* data: {style:{kind,label,color,icon}, status:[names], lat, lon, st, d0, d1, [de], pop:{columns}} */
  IM.addIncidents = function (map, group, data) {
    if (IM.firstAdd === undefined) IM.firstAdd = performance.now();
    var layer = new IncidentLayer(data);
    layer.group = group;
    IM.layers.push(layer);
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
