/* incidentmap runtime: draws incident layers from compact data blobs.
 * Popups are built with DOM nodes and textContent, so no incident text is ever parsed as HTML;
 * links are made only from http(s) URLs. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var DAY_MS = 86400000;

  function dayText(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function row(table, label, value) {
    if (value === undefined || value === null || value === "") return;
    var tr = el("tr");
    tr.appendChild(el("th", null, label));
    tr.appendChild(el("td", null, value));
    table.appendChild(tr);
  }

  /* a JSON data block of the page (layers.page.DataBlock): data, never code */
  IM.data = function (id) {
    return JSON.parse(document.getElementById(id).textContent);
  };

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

  var SAFE_URL = /^https?:\/\/[^\s]+$/i;

  /* rec: [id, title, date, place, kind, weapon, country, nato, distance, status, claims, sources,
   *       notes, precision] */
  IM.popup = function (rec) {
    var box = el("div", "im-popup");
    box.appendChild(el("div", "im-popup-title", rec[1]));
    var table = el("table", "im-popup-table");
    row(table, "Date", rec[2]);
    row(table, "Place as reported", rec[3]);
    row(table, "Location", rec[13]);
    row(table, "Kind", rec[4]);
    row(table, "Weapon", rec[5]);
    row(table, "Country", rec[6]);
    row(table, "On NATO soil", rec[7]);
    row(table, "Distance to border", rec[8]);
    row(table, "Status", rec[9]);
    row(table, "Incident", rec[0]);
    box.appendChild(table);
    if (rec[10] && rec[10].length) {
      box.appendChild(el("div", "im-popup-h", "Claims and denials"));
      var ol = el("ol", "im-claims");
      rec[10].forEach(function (c) {
        var li = el("li", "im-stance-" + String(c[2]).replace(/[^a-z]/g, ""));
        li.appendChild(el("span", "im-claim-date", c[0] + " "));
        li.appendChild(el("b", null, c[1]));
        li.appendChild(el("span", "im-claim-stance", " " + c[2] + ": "));
        li.appendChild(el("span", null, c[3]));
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    if (rec[12]) box.appendChild(el("p", "im-notes", rec[12]));
    if (rec[11] && rec[11].length) {
      box.appendChild(el("div", "im-popup-h", "Sources"));
      var ul = el("ul", "im-sources");
      rec[11].forEach(function (s) {
        var li = el("li");
        if (s[1] && SAFE_URL.test(s[1])) {
          var a = el("a", "im-source-link", s[0]);
          a.href = s[1];
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          li.appendChild(a);
        } else {
          li.textContent = s[0];
        }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  };

  function cell(column, i) {
    return Array.isArray(column) ? column[i] : column.u[column.i[i]];
  }

  function dateText(d0, d1) {
    return d0 === d1 ? dayText(d0) : dayText(d0) + " \u2013 " + dayText(d1);
  }

  /* the popup record of incident i, as layers.incidents.popup_record makes it in Python */
  IM.record = function (data, i) {
    var p = data.pop, place = cell(p.place, i), label = data.style.label;
    var day = data.de ? data.de[i] : data.d0[i];
    return [
      cell(p.id, i),
      place ? label + ": " + place : label,
      dateText(data.d0[i], data.d1[i]),
      place,
      label,
      cell(p.weapon, i),
      cell(p.country, i),
      cell(p.nato, i) + ", as of " + dayText(day) + cell(p.where, i),
      cell(p.distance, i),
      data.status[data.st[i]],
      cell(p.claims, i),
      cell(p.sources, i),
      cell(p.notes, i),
      cell(p.precision, i),
    ];
  };

  IM.title = function (data, i) {
    return (cell(data.pop.id, i) + " " + cell(data.pop.place, i) + " " +
            dateText(data.d0[i], data.d1[i])).trim();
  };

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

  /* Web Mercator, normalised to [0, 1] (x east, y south) */
  function mercX(lon) { return (lon + 180) / 360; }
  function mercY(lat) {
    var s = Math.sin((Math.max(Math.min(lat, 85.05), -85.05) * Math.PI) / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  function unmerc(x, y) {
    var lat = (Math.atan(Math.exp(Math.PI * (1 - 2 * y))) * 360) / Math.PI - 90;
    return L.latLng(lat, x * 360 - 180);
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

  /* {layer, index} of the incident with this id, or null */
  IM.find = function (id) {
    for (var k = 0; k < IM.layers.length; k++) {
      var layer = IM.layers[k], ids = layer.data.pop.id;
      for (var i = 0; i < layer.n; i++) {
        if (cell(ids, i) === id) return { layer: layer, index: i };
      }
    }
    return null;
  };

  /* zoom to the incident with this id so that its own marker is drawn; return that marker */
  IM.reveal = function (id) {
    var hit = IM.find(id);
    return hit ? hit.layer.reveal(hit.index) : null;
  };

  /* all popup records (for tests and debugging) */
  IM.records = function () {
    var out = [];
    IM.layers.forEach(function (layer) {
      for (var i = 0; i < layer.n; i++) out.push(IM.record(layer.data, i));
    });
    return out;
  };

  /* show only incidents whose [d0, d1] range meets [fromDay, toDay] */
  IM.filterDays = function (fromDay, toDay) {
    var shown = 0;
    IM.layers.forEach(function (layer) {
      var d0 = layer.data.d0, d1 = layer.data.d1, vis = layer.visible;
      for (var i = 0; i < layer.n; i++) {
        vis[i] = d1[i] >= fromDay && d0[i] <= toDay ? 1 : 0;
        shown += vis[i];
      }
      layer.redraw();
    });
    IM.shown = shown;
    return shown;
  };

  IM.timeSlider = function (map, minDay, maxDay) {
    var Control = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "im-timeslider leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var title = el("div", "im-ts-title", "Incident dates");
        var mode = el("select", "im-ts-mode");
        [["all", "all dates"], ["day", "on the day"], ["upto", "up to the day"]].forEach(function (o) {
          var opt = el("option", null, o[1]);
          opt.value = o[0];
          mode.appendChild(opt);
        });
        var range = el("input", "im-ts-range");
        range.type = "range";
        range.min = String(minDay);
        range.max = String(maxDay);
        range.value = String(maxDay);
        range.disabled = true;
        var label = el("div", "im-ts-label", dayText(minDay) + " – " + dayText(maxDay));
        function update() {
          var day = parseInt(range.value, 10);
          var n;
          range.disabled = mode.value === "all";
          if (mode.value === "all") {
            n = IM.filterDays(-1e9, 1e9);
            label.textContent = dayText(minDay) + " – " + dayText(maxDay) + " (" + n + ")";
          } else if (mode.value === "day") {
            n = IM.filterDays(day, day);
            label.textContent = dayText(day) + " (" + n + ")";
          } else {
            n = IM.filterDays(-1e9, day);
            label.textContent = "up to " + dayText(day) + " (" + n + ")";
          }
        }
        mode.addEventListener("change", update);
        range.addEventListener("input", update);
        box.appendChild(title);
        box.appendChild(mode);
        box.appendChild(range);
        box.appendChild(label);
        IM.slider = { mode: mode, range: range, update: update };
        return box;
      },
    });
    return new Control().addTo(map);
  };

  /* Search by place or incident id. The markers are handed to leaflet-search as plain data
   * (sourceData), not as a layer: given a layer, leaflet-search adds it to the map, which would
   * show every marker outside its cluster and its layer toggle. */
  IM.search = function (map) {
    if (!L.Control.Search) return null;
    var titles = null;  // built on first use: [title, layer, index]
    function allTitles() {
      if (!titles) {
        titles = [];
        IM.layers.forEach(function (layer) {
          for (var i = 0; i < layer.n; i++) titles.push([IM.title(layer.data, i), layer, i]);
        });
      }
      return titles;
    }
    var byTitle = {};
    var control = new L.Control.Search({
      sourceData: function (text, callResponse) {
        var out = [], needle = String(text).toLowerCase(), all = allTitles();
        for (var k = 0; k < all.length && out.length < 25; k++) {
          if (all[k][0].toLowerCase().indexOf(needle) >= 0) {
            var layer = all[k][1], i = all[k][2];
            byTitle[all[k][0]] = all[k];
            out.push({ title: all[k][0], loc: [layer.data.lat[i], layer.data.lon[i]] });
          }
        }
        callResponse(out);
        return { abort: function () {} };
      },
      propertyName: "title",
      propertyLoc: "loc",
      // leaflet-search would put the tip text in with innerHTML: build it as text instead
      buildTip: function (text) { return el("li", null, text); },
      marker: false,
      initial: false,
      zoom: 11,
      textPlaceholder: "Search place or incident id",
      moveToLocation: function (latlng, title) {
        var hit = byTitle[title];
        if (!hit || !hit[1]._map) { map.setView(latlng, 11); return; }
        var marker = hit[1].reveal(hit[2]);
        if (marker) marker.openPopup();
      },
    });
    map.addControl(control);
    IM.searchControl = control;
    return control;
  };
})();
