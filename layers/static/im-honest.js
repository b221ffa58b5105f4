/* incidentmap runtime (honest geometry): an incident located only within some radius gets a
 * halo of that radius (precision_m, geodesic metres, drawn by L.circle) and a faded pin, so an
 * incident "within 250 km" does not look like a precise point. Called by im-markers for each
 * marker it makes (IM.decorate). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var cell = IM.util.cell;

  /** below this radius the pin itself is about as large as the uncertainty at usual zooms */
  var HALO_MIN_M = 1000;
  IM.HALO_MIN_M = HALO_MIN_M;

  IM.decorate = function (marker, layer, i) {
    var data = layer.data, pm = data.pm ? data.pm[i] : 0;
    marker.imId = cell(data.pop.id, i);
    if (!(pm >= HALO_MIN_M)) return;
    var halo = L.circle([data.lat[i], data.lon[i]], {
      radius: pm, interactive: false, className: "im-precision",
      color: data.style.color, weight: 1.5, dashArray: "4 4", fillColor: data.style.color,
      fillOpacity: 0.08,
    });
    marker.imHalo = halo;
    marker.on("add", function () {
      if (marker._map) halo.addTo(marker._map);
      if (marker._icon) L.DomUtil.addClass(marker._icon, "im-imprecise");
    });
    marker.on("remove", function () { halo.remove(); });
  };
})();
