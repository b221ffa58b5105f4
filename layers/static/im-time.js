/* incidentmap runtime (time): THE time filter of the page and its range control.
 * IM.time = {from, to} (days since 1970-01-01, inclusive); IM.inTime(d0, d1) is the one
 * predicate: an incident whose [d0, d1] meets [from, to] is shown. Every layer follows it:
 * the incident layers (their `visible` flags, read by im-markers' clustering), layers
 * registered with IM.timedLayer (tracks), the heat map (IM.timedHeat), the counts in the layer
 * control, and listeners added with IM.onTime (the side list, the URL hash). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el, dayText = IM.util.dayText;

  IM.time = { from: -1e9, to: 1e9 };
  IM.inTime = function (d0, d1) { return d1 >= IM.time.from && d0 <= IM.time.to; };

  var timed = [], listeners = [], controls = (IM.layerControls = []);
  IM.onTime = function (fn) { listeners.push(fn); };

  /* remember every layer control so that its incident counts can follow the filter */
  if (L.Control && L.Control.Layers) {
    L.Control.Layers.addInitHook(function () { controls.push(this); });
  }

  /* a Leaflet layer shown in `parent` only while [d0, d1] meets the time range (tracks) */
  IM.timedLayer = function (layer, parent, d0, d1) {
    timed.push(function () {
      var on = IM.inTime(d0, d1);
      if (on && !parent.hasLayer(layer)) parent.addLayer(layer);
      if (!on && parent.hasLayer(layer)) parent.removeLayer(layer);
    });
    timed[timed.length - 1]();
  };

  /* the heat map, drawn from the incidents inside the time range only */
  IM.timedHeat = function (parent, data, options) {
    if (!L.heatLayer) return null;
    var heat = L.heatLayer([], options);
    function update() {
      var pts = [];
      for (var i = 0; i < data.lat.length; i++) {
        if (IM.inTime(data.d0[i], data.d1[i])) pts.push([data.lat[i], data.lon[i]]);
      }
      heat.setLatLngs(pts);
      heat.shown = pts.length;
    }
    update();
    timed.push(update);
    parent.addLayer(heat);
    IM.heat = heat;
    return heat;
  };

  function updateCounts() {
    controls.forEach(function (control) {
      if (!control._layers) return;
      control._layers.forEach(function (entry) {
        IM.layers.forEach(function (layer) {
          if (entry.layer !== layer.group) return;
          if (entry.imName === undefined) entry.imName = entry.name.replace(/ \(\d+\)$/, "");
          // entry.name is our escaped label plus digits: still safe markup
          var shown = layer.shown === undefined ? layer.n : layer.shown;
          entry.name = entry.imName + (shown === layer.n ? " (" + layer.n + ")"
                                       : " (" + shown + " of " + layer.n + ")");
        });
      });
      if (control._map) control._update();
    });
  }

  /* show only incidents whose [d0, d1] range meets [fromDay, toDay]; return how many */
  IM.filterDays = function (fromDay, toDay) {
    IM.time = { from: fromDay, to: toDay };
    var shown = 0;
    IM.layers.forEach(function (layer) {
      var d0 = layer.data.d0, d1 = layer.data.d1, vis = layer.visible, k = 0;
      for (var i = 0; i < layer.n; i++) {
        vis[i] = d1[i] >= fromDay && d0[i] <= toDay ? 1 : 0;
        k += vis[i];
      }
      layer.shown = k;
      shown += k;
    });
    IM.redrawAll();  // im-markers: the one clustering across kinds redraws once
    IM.shown = shown;
    timed.forEach(function (fn) { fn(); });
    updateCounts();
    listeners.forEach(function (fn) { fn(IM.time); });
    return shown;
  };

  var SPEEDS = [["1", "1 day/s"], ["2", "2 days/s"], ["7", "1 week/s"], ["30", "1 month/s"]];

  /* a from–to range (two handles), play/pause and speed */
  IM.timeSlider = function (map, minDay, maxDay) {
    var Control = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "im-timeslider leaflet-bar");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Incident dates");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        box.appendChild(el("div", "im-ts-title", "Incident dates"));
        function handle(cls, value, name) {
          var r = el("input", "im-ts-range " + cls);
          r.type = "range";
          r.min = String(minDay);
          r.max = String(maxDay);
          r.step = "1";
          r.value = String(value);
          r.setAttribute("aria-label", name);
          return r;
        }
        var from = handle("im-ts-from", minDay, "from date");
        var to = handle("im-ts-to", maxDay, "to date");
        var label = el("div", "im-ts-label");
        var play = el("button", "im-ts-play", "\u25B6 Play");
        play.type = "button";
        var speed = el("select", "im-ts-speed");
        speed.setAttribute("aria-label", "playback speed");
        SPEEDS.forEach(function (o) {
          var opt = el("option", null, o[1]);
          opt.value = o[0];
          speed.appendChild(opt);
        });
        var timer = null;
        function apply(source) {
          var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
          if (a > b) { if (source === from) to.value = String(a); else from.value = String(b); }
          a = parseInt(from.value, 10); b = parseInt(to.value, 10);
          var n = IM.filterDays(a === minDay ? -1e9 : a, b === maxDay ? 1e9 : b);
          label.textContent = (a === b ? dayText(a) : dayText(a) + " \u2013 " + dayText(b)) +
            " (" + n + ")";
        }
        function stop() {
          if (timer) clearInterval(timer);
          timer = null;
          play.textContent = "\u25B6 Play";
          play.setAttribute("aria-pressed", "false");
        }
        /* playing moves the window [from, to] forward by a step each tick, its width kept */
        function tick() {
          var step = parseInt(speed.value, 10), a = parseInt(from.value, 10);
          var b = parseInt(to.value, 10), width = b - a;
          if (b >= maxDay) { stop(); return; }
          b = Math.min(maxDay, b + step);
          to.value = String(b);
          from.value = String(Math.max(minDay, b - width));
          apply(to);
        }
        play.addEventListener("click", function () {
          if (timer) { stop(); return; }
          if (parseInt(to.value, 10) >= maxDay) {  // start from the beginning, one step wide
            from.value = String(minDay);
            to.value = String(Math.min(maxDay, minDay + parseInt(speed.value, 10) - 1));
            apply(to);
          }
          timer = setInterval(tick, 1000);
          play.textContent = "\u23F8 Pause";
          play.setAttribute("aria-pressed", "true");
        });
        from.addEventListener("input", function () { stop(); apply(from); });
        to.addEventListener("input", function () { stop(); apply(to); });
        box.appendChild(from);
        box.appendChild(to);
        box.appendChild(label);
        var row = el("div", "im-ts-row");
        row.appendChild(play);
        row.appendChild(speed);
        box.appendChild(row);
        IM.slider = {
          from: from, to: to, play: play, speed: speed, stop: stop, minDay: minDay, maxDay: maxDay,
          /* set the range from days (clamped), as the URL hash does */
          set: function (a, b) {
            from.value = String(Math.max(minDay, Math.min(maxDay, a)));
            to.value = String(Math.max(minDay, Math.min(maxDay, b)));
            apply(to);
          },
          update: function () { apply(to); },
        };
        label.textContent = dayText(minDay) + " \u2013 " + dayText(maxDay);
        return box;
      },
    });
    return new Control().addTo(map);
  };
})();
