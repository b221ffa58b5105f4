/* incidentmap runtime, (core): the namespace, DOM and date helpers, Web Mercator,
 * and the incident records read from the page's JSON data blocks.
 * The runtime's files are concatenated in a fixed order by layers/runtime.py (RUNTIME_FILES);
 * they share code only through window.IncidentMap (IM) and IM.util.
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

  function cell(column, i) {
    return Array.isArray(column) ? column[i] : column.u[column.i[i]];
  }

  function dateText(d0, d1) {
    return d0 === d1 ? dayText(d0) : dayText(d0) + " \u2013 " + dayText(d1);
  }

  /* "2025-09-09 23:30" of a minute since 1970 (local clock) */
  function minuteText(m) {
    var d = Math.floor(m / 1440), r = m - d * 1440, h = Math.floor(r / 60), mm = r % 60;
    return dayText(d) + " " + (h < 10 ? "0" : "") + h + ":" + (mm < 10 ? "0" : "") + mm;
  }

  /* the date (range) of incident i, or its local times when the record has them */
  function whenText(data, i) {
    if (!(data.tm && data.tm[i])) return dateText(data.d0[i], data.d1[i]);
    var a = minuteText(data.m0[i]), b = minuteText(data.m1[i]);
    if (a === b) return a + " local time";
    return a + " \u2013 " + (a.slice(0, 10) === b.slice(0, 10) ? b.slice(11) : b) + " local time";
  }

  /* the popup record of incident i, as layers.incidents.popup_record makes it in Python */
  IM.record = function (data, i) {
    var p = data.pop, place = cell(p.place, i), label = data.style.label;
    var day = data.de ? data.de[i] : data.d0[i];
    return [
      cell(p.id, i),
      place ? label + ": " + place : label,
      whenText(data, i),
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
            whenText(data, i)).trim();
  };

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

  IM.util = { el: el, row: row, cell: cell, dayText: dayText, dateText: dateText, whenText: whenText, DAY_MS: DAY_MS,
              mercX: mercX, mercY: mercY, unmerc: unmerc };

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

  /* all popup records (for tests and debugging) */
  IM.records = function () {
    var out = [];
    IM.layers.forEach(function (layer) {
      for (var i = 0; i < layer.n; i++) out.push(IM.record(layer.data, i));
    });
    return out;
  };
})();
