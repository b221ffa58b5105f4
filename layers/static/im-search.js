/* incidentmap runtime (search): leaflet-search over the incidents, as plain data.
 * Matching folds case and diacritics by the geocoder's rules (geo.geocoding.names.fold, handed
 * over as data), so "Galati" finds Galați; Enter takes the best match; an incident that shares
 * its point with others is spread out of its stack and its popup opened. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el;

  /* fold(text): lower case, no diacritics, single spaces (as geo.geocoding.names.fold) */
  IM.folder = function (rules) {
    var letters = (rules && rules.letters) || {};
    var drop = new RegExp((rules && rules.drop) || "['\u2019]", "g");
    var seps = new RegExp((rules && rules.separators) || "\\s+", "g");
    return function (text) {
      var s = String(text).normalize("NFKC").replace(/[^\x00-\x7f]/g, function (ch) {
        return Object.prototype.hasOwnProperty.call(letters, ch) ? letters[ch] : ch;
      });
      s = s.normalize("NFKD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "");
      return s.replace(drop, "").toLowerCase().replace(seps, " ").trim();
    };
  };

  IM.search = function (map, rules) {
    if (!L.Control.Search) return null;
    var fold = IM.folder(rules);
    var titles = null;  // built on first use: [title, layer, index, folded title, folded id]
    function allTitles() {
      if (!titles) {
        titles = [];
        IM.layers.forEach(function (layer) {
          for (var i = 0; i < layer.n; i++) {
            var t = IM.title(layer.data, i);
            titles.push([t, layer, i, fold(t), fold(IM.util.cell(layer.data.pop.id, i))]);
          }
        });
      }
      return titles;
    }
    /* best first: the id itself, then an id or word starting with the text, then anywhere */
    function matches(text) {
      var needle = fold(text), all = allTitles(), hits = [];
      if (!needle) return hits;
      for (var k = 0; k < all.length; k++) {
        var t = all[k], at = t[3].indexOf(needle);
        if (at < 0) continue;
        var rank = t[4] === needle ? 0 : t[4].indexOf(needle) === 0 ? 1
          : at === 0 || t[3].charAt(at - 1) === " " ? 2 : 3;
        hits.push([rank, k, t]);
      }
      hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      return hits.slice(0, 25).map(function (h) { return h[2]; });
    }
    var byTitle = {};
    IM.searchMatches = function (text) { return matches(text).map(function (t) { return t[0]; }); };
    var control = new L.Control.Search({
      sourceData: function (text, callResponse) {
        callResponse(matches(text).map(function (t) {
          byTitle[t[0]] = t;
          return { title: t[0], loc: [t[1].data.lat[t[2]], t[1].data.lon[t[2]]] };
        }));
        return { abort: function () {} };
      },
      // leaflet-search's own filter is a case-only regular expression: fold instead
      filterData: function (text, records) {
        var out = {};
        matches(text).forEach(function (t) {
          if (Object.prototype.hasOwnProperty.call(records, t[0])) out[t[0]] = records[t[0]];
        });
        return out;
      },
      propertyName: "title",
      propertyLoc: "loc",
      // leaflet-search would put the tip text in with innerHTML: build it as text instead
      buildTip: function (text) { return el("li", null, text); },
      marker: false,
      initial: false,
      autoType: false,
      firstTipSubmit: true,
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
    var input = control._input;
    if (input) {
      input.setAttribute("aria-label", "Search place or incident id");
    }
    IM.searchControl = control;
    return control;
  };
})();
