/* incidentmap runtime (time): the date filter over every incident layer and its slider. */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el, dayText = IM.util.dayText;

  /* show only incidents whose [d0, d1] range meets [fromDay, toDay] */
  IM.filterDays = function (fromDay, toDay) {
    var shown = 0;
    IM.layers.forEach(function (layer) {
      var d0 = layer.data.d0, d1 = layer.data.d1, vis = layer.visible;
      for (var i = 0; i < layer.n; i++) {
        vis[i] = d1[i] >= fromDay && d0[i] <= toDay ? 1 : 0;
        shown += vis[i];
      }
    });
    IM.redrawAll();
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
        mode.setAttribute("aria-label", "Which incident dates to show");
        [["all", "all dates"], ["day", "on the day"], ["upto", "up to the day"]].forEach(function (o) {
          var opt = el("option", null, o[1]);
          opt.value = o[0];
          mode.appendChild(opt);
        });
        var range = el("input", "im-ts-range");
        range.type = "range";
        range.setAttribute("aria-label", "Day");
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
})();
