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
    return box;
  };
})();
