/* incidentmap runtime (sharing): the view in the URL hash and restored from it, permalinks,
 * and download of the filtered incidents as CSV or GeoJSON (client-side Blob, no network).
 * Hash: #c=lat,lon,zoom&t=from,to&l=shown overlay numbers&i=incident id (all optional). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var U = IM.util, el = U.el, cell = U.cell, dayText = U.dayText, DAY_MS = U.DAY_MS;

  L.Map.addInitHook(function () { if (!IM.map) IM.map = this; });
  var controls = IM.layerControls;  // every layer control (im-time.js records them)

  function overlays() {
    var out = [];
    controls.forEach(function (c) {
      (c._layers || []).forEach(function (e) { if (e.overlay) out.push(e.layer); });
    });
    return out;
  }

  function isoDay(text) {
    var t = Date.parse(String(text) + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / DAY_MS);
  }

  /* a slider value as hash text: 2025-09-09 (days) or 2025-09-09T23 (hours, local clock) */
  function stepText(v) {
    if (!IM.slider.hourly) return dayText(v);
    var h = ((v % 24) + 24) % 24;
    return dayText(Math.floor(v / 24)) + "T" + (h < 10 ? "0" : "") + h;
  }
  /* hash text back to a slider value; `end`: a bare day means its last hour */
  function stepValue(text, end) {
    var m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{1,2}))?$/.exec(String(text));
    if (!m) return null;
    var day = isoDay(m[1]);
    if (day === null) return null;
    if (!IM.slider.hourly) return day;
    if (m[2] === undefined) return day * 24 + (end ? 23 : 0);
    var h = parseInt(m[2], 10);
    return h > 23 ? null : day * 24 + h;
  }

  IM.selected = null;

  /* the current view as a hash (without "#"); id: the incident to select (or the selected one) */
  IM.viewHash = function (id) {
    var map = IM.map, parts = [];
    if (!map) return "";
    var c = map.getCenter();
    parts.push("c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom());
    var sl = IM.slider;
    if (sl && (+sl.from.value > sl.minValue || +sl.to.value < sl.maxValue)) {
      parts.push("t=" + stepText(+sl.from.value) + "," + stepText(+sl.to.value));
    }
    var shown = [];
    overlays().forEach(function (layer, k) { if (map.hasLayer(layer)) shown.push(k); });
    if (controls.length) parts.push("l=" + shown.join("."));
    var sel = id === undefined ? IM.selected : id;
    if (sel) parts.push("i=" + encodeURIComponent(sel));
    return parts.join("&");
  };

  /* a link to this view with incident id selected */
  IM.permalink = function (id) {
    return location.href.split("#")[0] + "#" + IM.viewHash(id);
  };

  var restoring = false;
  function writeHash() {
    if (restoring || !IM.map) return;
    var h = "#" + IM.viewHash();
    if (location.hash !== h) history.replaceState(null, "", h);
  }

  function parseHash(hash) {
    var out = {};
    String(hash || "").replace(/^#/, "").split("&").forEach(function (kv) {
      var k = kv.indexOf("=");
      if (k > 0) out[kv.slice(0, k)] = decodeURIComponent(kv.slice(k + 1));
    });
    return out;
  }

  function openIncident(id) {
    var hit = IM.find(id);
    if (!hit || !hit.layer._map) return null;
    // im-markers draws every kind through one clusterer; reveal zooms or spreads a stack out
    var drawn = hit.layer.clusterer ? hit.layer.clusterer.group : null;
    var m = hit.layer.markers[hit.index];
    if (!(m && drawn && drawn.hasLayer(m))) m = hit.layer.reveal(hit.index);
    if (m && drawn && drawn.hasLayer(m)) {
      m.openPopup();
      return m;
    }
    // it shares its point with others (no marker of its own at any zoom): its popup alone
    var d = hit.layer.data, popup = L.popup({ maxWidth: 380, minWidth: 240, maxHeight: 420 });
    popup.imId = id;
    popup.setLatLng([d.lat[hit.index], d.lon[hit.index]])
      .setContent(IM.popup(IM.record(d, hit.index))).openOn(IM.map);
    return popup;
  }
  IM.openIncident = openIncident;

  /* restore the view from a hash (the page's own, or one given) */
  IM.restoreHash = function (hash) {
    var map = IM.map, s = parseHash(hash === undefined ? location.hash : hash);
    if (!map) return;
    restoring = true;
    try {
      if (s.l !== undefined) {
        var want = {};
        s.l.split(".").forEach(function (k) { if (k !== "") want[k] = true; });
        overlays().forEach(function (layer, k) {
          if (want[k] && !map.hasLayer(layer)) map.addLayer(layer);
          if (!want[k] && map.hasLayer(layer)) map.removeLayer(layer);
        });
      }
      if (s.t && IM.slider) {
        var t = s.t.split(","), a = stepValue(t[0], false), b = stepValue(t[1], true);
        if (a !== null && b !== null) IM.slider.setValues(a, b);
      }
      if (s.c) {
        var c = s.c.split(",").map(Number);
        if (c.length === 3 && c.every(isFinite)) map.setView([c[0], c[1]], c[2], { animate: false });
      }
      if (s.i) openIncident(s.i);
    } finally {
      restoring = false;
    }
    writeHash();
  };

  function idOf(popup) {
    if (popup && popup.imId) return popup.imId;
    var src = popup && popup._source;
    return src && src.imId ? src.imId : null;
  }

  IM.startSharing = function () {
    var map = IM.map;
    if (!map || IM.sharing) return;
    IM.sharing = true;
    map.on("moveend overlayadd overlayremove", writeHash);
    map.on("popupopen", function (e) { IM.selected = idOf(e.popup); writeHash(); });
    map.on("popupclose", function (e) {
      if (idOf(e.popup) === IM.selected) { IM.selected = null; writeHash(); }
    });
    IM.onTime(writeHash);
    window.addEventListener("hashchange", function () { IM.restoreHash(); });
    if (location.hash.length > 1) IM.restoreHash();
    downloadControl(map);
  };

  // ---------------------------------------------------------------- downloads

  var NEEDS_QUOTE = /^[=+\-@\t\r']/, NUMBER = /^-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

  /* a cell a spreadsheet would run as a formula gets a leading quote (as geo/tabular.py) */
  IM.neutraliseCell = function (text) {
    text = text === null || text === undefined ? "" : String(text);
    return NEEDS_QUOTE.test(text) && !NUMBER.test(text) ? "'" + text : text;
  };

  var COLUMNS = ["event_id_cnty", "date_start", "date_end", "event_time", "event_time_end", "kind", "location", "country",
                 "claim_status", "latitude", "longitude", "precision_m", "weapon", "on_nato_soil",
                 "distance_to_border", "notes", "sources"];

  /* the incidents shown now (their layer on the map, inside the time range), as plain rows */
  IM.filteredRows = function () {
    var rows = [];
    IM.layers.forEach(function (layer) {
      if (!layer._map) return;
      var d = layer.data;
      for (var i = 0; i < layer.n; i++) {
        if (!layer.visible[i]) continue;
        var rec = IM.record(d, i);
        rows.push({
          event_id_cnty: rec[0], date_start: dayText(d.d0[i]), date_end: dayText(d.d1[i]),
          event_time: d.tm && d.tm[i] ? d.tm[i].split("\u2013")[0] : "",
          event_time_end: d.tm && d.tm[i] ? (d.tm[i].split("\u2013")[1] || "") : "",
          kind: d.style.kind, location: rec[3], country: rec[6], claim_status: rec[9],
          latitude: d.lat[i], longitude: d.lon[i], precision_m: d.pm ? d.pm[i] : null,
          weapon: rec[5], on_nato_soil: cell(d.pop.nato, i), distance_to_border: rec[8],
          notes: rec[12],
          sources: (rec[11] || []).map(function (s) { return s[1] || s[0]; }).join(" | "),
        });
      }
    });
    return rows;
  };

  function csvField(value) {
    var text = typeof value === "number" ? String(value) : IM.neutraliseCell(value);
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* RFC 4180 CSV (comma, CRLF) of the filtered incidents, formulas neutralised */
  IM.csvText = function () {
    var lines = [COLUMNS.join(",")];
    IM.filteredRows().forEach(function (r) {
      lines.push(COLUMNS.map(function (c) { return csvField(r[c]); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  };

  IM.geojsonText = function () {
    var features = IM.filteredRows().map(function (r) {
      var props = {};
      COLUMNS.forEach(function (c) { if (c !== "latitude" && c !== "longitude") props[c] = r[c]; });
      return { type: "Feature", geometry: { type: "Point", coordinates: [r.longitude, r.latitude] },
               properties: props };
    });
    return JSON.stringify({ type: "FeatureCollection", features: features });
  };

  function save(text, type, name) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function downloadControl(map) {
    var c = L.control({ position: "topright" });
    c.onAdd = function () {
      var box = L.DomUtil.create("div", "im-download leaflet-bar");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Download the incidents shown");
      L.DomEvent.disableClickPropagation(box);
      [["CSV", function () { save(IM.csvText(), "text/csv;charset=utf-8", "incidents.csv"); }],
       ["GeoJSON", function () {
         save(IM.geojsonText(), "application/geo+json", "incidents.geojson");
       }]].forEach(function (b) {
        var button = el("button", "im-download-" + b[0].toLowerCase(), "\u2913 " + b[0]);
        button.type = "button";
        button.title = "Download the incidents shown as " + b[0];
        button.addEventListener("click", b[1]);
        box.appendChild(button);
      });
      return box;
    };
    c.addTo(map);
  }

  /* start once the page's scripts have built the map, its layers and controls */
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { IM.startSharing(); });
  } else {
    setTimeout(function () { IM.startSharing(); }, 0);
  }
})();
