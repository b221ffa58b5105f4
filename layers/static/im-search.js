/* incidentmap runtime (search): leaflet-search over the incidents, as plain data. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el;

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
