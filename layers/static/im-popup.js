/* incidentmap runtime (popups): an incident's popup, built from DOM nodes and text only. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el, row = IM.util.row;

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
    if (IM.permalink && rec[0]) {  // im-share.js: a link to this view with this incident open
      var link = el("a", "im-permalink", "Permalink to this incident");
      link.href = IM.permalink(rec[0]);
      link.addEventListener("click", function () { link.href = IM.permalink(rec[0]); });
      box.appendChild(link);
    }
    return box;
  };
})();
(function () {
  "use strict";
  var IM = window.IncidentMap;

  /* Popups pan clear of every control: after Leaflet's own auto-pan, the popup's box is moved
   * (one pan) out of each control it overlaps, the smallest way that keeps it on screen. */
  var MARGIN = 8;
  function overlaps(a, b) {
    return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  }
  function shifted(r, dx, dy) {
    return { left: r.left + dx, right: r.right + dx, top: r.top + dy, bottom: r.bottom + dy };
  }
  IM.popupShift = function (map, node) {
    var base = map.getContainer().getBoundingClientRect(), size = map.getSize();
    var r0 = node.getBoundingClientRect();
    var p = { left: r0.left - base.left, right: r0.right - base.left,
              top: r0.top - base.top, bottom: r0.bottom - base.top };
    var boxes = IM.controlBoxes ? IM.controlBoxes(map) : [];
    function inside(r) {
      return r.left >= 0 && r.top >= 0 && r.right <= size.x && r.bottom <= size.y;
    }
    function fit(r) {  // the shift that brings r inside the map
      var dx = 0, dy = 0;
      if (r.right > size.x - MARGIN) dx = size.x - MARGIN - r.right;
      if (r.left + dx < MARGIN) dx = MARGIN - r.left;
      if (r.bottom > size.y - MARGIN) dy = size.y - MARGIN - r.bottom;
      if (r.top + dy < MARGIN) dy = MARGIN - r.top;
      return [dx, dy];
    }
    var f = fit(p), best = null;
    // candidates: fitted, then cleared of each overlapping control in each direction
    var cands = [[f[0], f[1]]];
    boxes.forEach(function (b) {
      var q = shifted(p, f[0], f[1]);
      cands.push([f[0], f[1] + b.bottom + MARGIN - q.top], [f[0], f[1] + b.top - MARGIN - q.bottom],
                 [f[0] + b.right + MARGIN - q.left, f[1]], [f[0] + b.left - MARGIN - q.right, f[1]]);
    });
    // and both at once (a popup in a corner between two controls)
    cands.slice(1).forEach(function (a) {
      cands.slice(1).forEach(function (b) {
        if (a[0] === f[0] && b[1] === f[1]) cands.push([b[0], a[1]]);
      });
    });
    cands.forEach(function (c) {
      var q = shifted(p, c[0], c[1]);
      var hits = boxes.filter(function (b) { return overlaps(q, b); }).length;
      var score = (inside(q) ? 0 : 1e6) + hits * 1e5 + Math.abs(c[0]) + Math.abs(c[1]);
      if (!best || score < best[2]) best = [c[0], c[1], score];
    });
    return best ? [best[0], best[1]] : [0, 0];
  };

  L.Popup.include({
    _adjustPan: function () {
      if (!this.options.autoPan) return;
      var map = this._map;
      if (map._panAnim) map._panAnim.stop();
      if (!this._container || !map) return;
      var d = IM.popupShift(map, this._container);
      if (Math.abs(d[0]) >= 1 || Math.abs(d[1]) >= 1) {
        map.fire("autopanstart");
        map.panBy([-d[0], -d[1]], { animate: false });
      }
    },
  });
})();
