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

  var SAFE_URL = /^https?:\/\/[^\s]+$/i;

  /* rec: [id, title, date, place, kind, weapon, country, nato, distance, status, claims, sources, notes] */
  IM.popup = function (rec) {
    var box = el("div", "im-popup");
    box.appendChild(el("div", "im-popup-title", rec[1]));
    var table = el("table", "im-popup-table");
    row(table, "Date", rec[2]);
    row(table, "Place as reported", rec[3]);
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

  var icons = {};
  function icon(style, status) {
    var key = style.kind + "/" + status;
    if (!icons[key]) {
      icons[key] = L.divIcon({
        className: "im-marker im-k-" + style.kind + " im-s-" + status,
        html:
          '<span class="im-pin" style="--im-c:' + style.color + '"><i class="fa-solid ' +
          style.icon + '"></i></span>',
        iconSize: [26, 26],
        iconAnchor: [13, 13],
        popupAnchor: [0, -12],
      });
    }
    return icons[key];
  }

  IM.clusterIcon = function (color, kind) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 42 : 48;
      return L.divIcon({
        html: '<div style="background:' + color + '"><span>' + n + "</span></div>",
        className: "im-cluster im-cluster-" + kind,
        iconSize: L.point(size, size),
      });
    };
  };

  /* data: {style:{kind,color,icon}, status:[names], lat, lon, st, d0, d1, title, pop} */
  IM.addIncidents = function (map, group, data) {
    var markers = new Array(data.lat.length);
    for (var i = 0; i < data.lat.length; i++) {
      var m = L.marker([data.lat[i], data.lon[i]], {
        icon: icon(data.style, data.status[data.st[i]]),
        title: data.title[i],
        keyboard: false,
      });
      m._imIndex = i;
      m.bindPopup(
        (function (rec) {
          return function () {
            return IM.popup(rec);
          };
        })(data.pop[i]),
        { maxWidth: 380, minWidth: 240 }
      );
      markers[i] = m;
    }
    var layer = { map: map, group: group, data: data, markers: markers };
    IM.layers.push(layer);
    if (group.addLayers) group.addLayers(markers);
    else markers.forEach(function (m) { group.addLayer(m); });
    markers.forEach(function (m) { IM.searchable.push({ marker: m, layer: layer }); });
    IM.drawn = (IM.drawn || 0) + markers.length;
    return layer;
  };

  /* show only incidents whose [d0, d1] range meets [fromDay, toDay] */
  IM.filterDays = function (fromDay, toDay) {
    var shown = 0;
    IM.layers.forEach(function (layer) {
      var keep = [];
      for (var i = 0; i < layer.markers.length; i++) {
        if (layer.data.d1[i] >= fromDay && layer.data.d0[i] <= toDay) keep.push(layer.markers[i]);
      }
      layer.group.clearLayers();
      if (layer.group.addLayers) layer.group.addLayers(keep);
      else keep.forEach(function (m) { layer.group.addLayer(m); });
      shown += keep.length;
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
    var byTitle = {};
    IM.searchable.forEach(function (s) { byTitle[s.marker.options.title] = s; });
    function show(entry) {
      var marker = entry.marker, group = entry.layer.group;
      if (group.hasLayer(marker) && group.zoomToShowLayer) {
        group.zoomToShowLayer(marker, function () { marker.openPopup(); });
      } else {
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 11));
      }
    }
    var control = new L.Control.Search({
      sourceData: function (text, callResponse) {
        var out = [], needle = String(text).toLowerCase();
        for (var title in byTitle) {
          if (title.toLowerCase().indexOf(needle) >= 0) {
            var ll = byTitle[title].marker.getLatLng();
            out.push({ title: title, loc: [ll.lat, ll.lng] });
            if (out.length >= 25) break;
          }
        }
        callResponse(out);
        return { abort: function () {} };
      },
      propertyName: "title",
      propertyLoc: "loc",
      marker: false,
      initial: false,
      zoom: 11,
      textPlaceholder: "Search place or incident id",
      moveToLocation: function (latlng, title) {
        if (byTitle[title]) show(byTitle[title]);
        else map.setView(latlng, 11);
      },
    });
    map.addControl(control);
    IM.searchControl = control;
    return control;
  };
})();
