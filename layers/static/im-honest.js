/* incidentmap runtime (honest geometry): an incident located only within some radius gets a
 * halo of that radius (precision_m, metres on the ground, drawn by L.circle) and a faded pin,
 * so an incident "within 250 km" does not look like a precise point. Halos are drawn for the
 * incidents in view that the time range and the layer switches show, whether their marker
 * stands alone or sits in a cluster; identical halos (same point and radius) are drawn once. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var cell = IM.util.cell;

  /** below this radius the pin itself is about as large as the uncertainty at usual zooms */
  var HALO_MIN_M = 1000;
  /** halos drawn at most (the largest first), so that 100 k incidents stay fast */
  var MAX_HALOS = 400;
  IM.HALO_MIN_M = HALO_MIN_M;

  /* called by im-markers for each marker it makes */
  IM.decorate = function (marker, layer, i) {
    var data = layer.data, pm = data.pm ? data.pm[i] : 0;
    marker.imId = cell(data.pop.id, i);
    if (!(pm >= HALO_MIN_M)) return;
    marker.on("add", function () {
      if (marker._icon) L.DomUtil.addClass(marker._icon, "im-imprecise");
    });
  };

  var group = null, drawn = [];
  function metresPerPixel(map, lat) {
    return (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (256 * Math.pow(2, map.getZoom()));
  }

  function update() {
    var map = IM.map;
    if (!map || !group) return;
    var b = map.getBounds(), want = [], seen = {};
    IM.layers.forEach(function (layer) {
      var d = layer.data;
      if (!layer._map || !d.pm) return;
      for (var i = 0; i < layer.n; i++) {
        var pm = d.pm[i];
        if (!(pm >= HALO_MIN_M) || !layer.visible[i]) continue;
        var key = d.lat[i] + "," + d.lon[i] + "," + pm;
        if (seen[key]) { seen[key].ids.push(cell(d.pop.id, i)); continue; }
        var dLat = pm / 111320, dLon = dLat / Math.max(0.01, Math.cos((d.lat[i] * Math.PI) / 180));
        var box = L.latLngBounds([d.lat[i] - dLat, d.lon[i] - dLon], [d.lat[i] + dLat, d.lon[i] + dLon]);
        if (!b.intersects(box)) continue;  // the halo does not reach into the view
        if (pm / metresPerPixel(map, d.lat[i]) < 4) continue;  // smaller than the pin
        seen[key] = { lat: d.lat[i], lon: d.lon[i], pm: pm, color: d.style.color,
                      ids: [cell(d.pop.id, i)] };
        want.push(seen[key]);
      }
    });
    want.sort(function (a, c) { return c.pm - a.pm; });
    group.clearLayers();
    drawn = want.slice(0, MAX_HALOS);
    drawn.forEach(function (h) {
      L.circle([h.lat, h.lon], {
        radius: h.pm, interactive: false, className: "im-precision", color: h.color,
        weight: 1, opacity: 0.7, dashArray: "4 4", fillColor: h.color, fillOpacity: 0.04,
      }).addTo(group);
    });
  }

  /* [[ids, radius_m]] of the halos drawn (for tests) */
  IM.halos = function () { return drawn.map(function (h) { return [h.ids, h.pm]; }); };

  document.addEventListener("DOMContentLoaded", function () {
    var map = IM.map;
    if (!map || !IM.layers.length) return;
    group = L.layerGroup().addTo(map);
    map.on("moveend overlayadd overlayremove", update);
    IM.onTime(update);
    update();
  });
})();
