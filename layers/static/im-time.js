/* incidentmap runtime (time): THE time filter of the page and its range control.
 * Time is counted in minutes since 1970-01-01 00:00 of the local clock at each place.
 * IM.time = {from, to} (inclusive minutes); IM.span(data, i) is incident i's [m0, m1] (its
 * times of day when the record has them, else whole days d0..d1); IM.inTime(m0, m1) is the one
 * predicate: an incident whose span meets [from, to] is shown. Every layer follows it:
 * the incident layers (their `visible` flags, read by im-markers' clustering), layers
 * registered with IM.timedLayer (tracks), the heat map (IM.timedHeat), the counts in the layer
 * control, and listeners added with IM.onTime (the side list, the URL hash). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el, dayText = IM.util.dayText;
  var DAY_MIN = 1440, ALL = 1e12;

  IM.time = { from: -ALL, to: ALL };
  IM.inTime = function (m0, m1) { return m1 >= IM.time.from && m0 <= IM.time.to; };
  /* [m0, m1] of incident i of a layer's (or the heat map's) data */
  IM.span = function (data, i) {
    if (data.m0) return [data.m0[i], data.m1[i]];
    return [data.d0[i] * DAY_MIN, data.d1[i] * DAY_MIN + DAY_MIN - 1];
  };

  var timed = [], listeners = [], controls = (IM.layerControls = []);
  IM.onTime = function (fn) { listeners.push(fn); };

  /* remember every layer control so that its incident counts can follow the filter */
  if (L.Control && L.Control.Layers) {
    L.Control.Layers.addInitHook(function () { controls.push(this); });
  }

  /* a Leaflet layer shown in `parent` only while [m0, m1] meets the time range (tracks) */
  IM.timedLayer = function (layer, parent, m0, m1) {
    timed.push(function () {
      var on = IM.inTime(m0, m1);
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
        var sp = IM.span(data, i);
        if (IM.inTime(sp[0], sp[1])) pts.push([data.lat[i], data.lon[i]]);
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

  /* show only incidents whose span meets the minutes [from, to]; return how many */
  IM.filterMinutes = function (from, to) {
    IM.time = { from: from, to: to };
    var shown = 0;
    IM.layers.forEach(function (layer) {
      var data = layer.data, vis = layer.visible, k = 0;
      for (var i = 0; i < layer.n; i++) {
        var sp = IM.span(data, i);
        vis[i] = sp[1] >= from && sp[0] <= to ? 1 : 0;
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
  /* the same over whole days (days since 1970-01-01, inclusive) */
  IM.filterDays = function (fromDay, toDay) {
    return IM.filterMinutes(fromDay <= -1e9 ? -ALL : fromDay * DAY_MIN,
                            toDay >= 1e9 ? ALL : toDay * DAY_MIN + DAY_MIN - 1);
  };

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  /* "2025-09-09 23:00" of an hour since 1970 */
  function hourText(h) { return dayText(Math.floor(h / 24)) + " " + pad(((h % 24) + 24) % 24) + ":00"; }
  IM.util.hourText = hourText;

  var SPEEDS = [["1", "1 day/s"], ["2", "2 days/s"], ["7", "1 week/s"], ["30", "1 month/s"]];
  var HOUR_SPEEDS = [["1", "1 hour/s"], ["3", "3 hours/s"], ["6", "6 hours/s"], ["24", "1 day/s"]];

  /* a from–to range (two handles), play/pause and speed; its values are days, or hours
   * (local clock) when `hourly` (a night plays hour by hour) */
  IM.timeSlider = function (map, minDay, maxDay, hourly, hours) {
    var per = hourly ? 24 : 1, unit = DAY_MIN / per;  // steps a day, minutes a step
    var minV = minDay * per, maxV = maxDay * per + per - 1;
    if (hourly && hours) { minV = hours[0]; maxV = hours[1]; }  // the hours the incidents span
    var text = hourly ? hourText : dayText;
    function rangeText(a, b) {
      if (!hourly) return a === b ? dayText(a) : dayText(a) + " \u2013 " + dayText(b);
      var end = hourText(b + 1);  // the window ends where hour b does
      if (end.slice(0, 10) === hourText(a).slice(0, 10)) end = end.slice(11);
      return hourText(a) + " \u2013 " + end;
    }
    var Control = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "im-timeslider leaflet-bar");
        var title = hourly ? "Incident times (local time)" : "Incident dates";
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", title);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        box.appendChild(el("div", "im-ts-title", title));
        function handle(cls, value, name) {
          var r = el("input", "im-ts-range " + cls);
          r.type = "range";
          r.min = String(minV);
          r.max = String(maxV);
          r.step = "1";
          r.value = String(value);
          r.setAttribute("aria-label", name);
          return r;
        }
        var from = handle("im-ts-from", minV, hourly ? "from hour" : "from date");
        var to = handle("im-ts-to", maxV, hourly ? "to hour" : "to date");
        var label = el("div", "im-ts-label");
        label.setAttribute("aria-live", "polite");
        var play = el("button", "im-ts-play", "\u25B6 Play");
        play.type = "button";
        var speed = el("select", "im-ts-speed");
        speed.setAttribute("aria-label", "playback speed");
        (hourly ? HOUR_SPEEDS : SPEEDS).forEach(function (o) {
          var opt = el("option", null, o[1]);
          opt.value = o[0];
          speed.appendChild(opt);
        });
        var timer = null;
        function apply(source) {
          var a = parseInt(from.value, 10), b = parseInt(to.value, 10);
          if (a > b) { if (source === from) to.value = String(a); else from.value = String(b); }
          a = parseInt(from.value, 10); b = parseInt(to.value, 10);
          var n = IM.filterMinutes(a === minV ? -ALL : a * unit, b === maxV ? ALL : b * unit + unit - 1);
          label.textContent = rangeText(a, b) + " (" + n + ")";
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
          if (b >= maxV) { stop(); return; }
          b = Math.min(maxV, b + step);
          to.value = String(b);
          from.value = String(Math.max(minV, b - width));
          apply(to);
        }
        play.addEventListener("click", function () {
          if (timer) { stop(); return; }
          if (parseInt(to.value, 10) >= maxV) {  // start from the beginning, one step wide
            from.value = String(minV);
            to.value = String(Math.min(maxV, minV + parseInt(speed.value, 10) - 1));
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
        function setValues(a, b) {
          from.value = String(Math.max(minV, Math.min(maxV, a)));
          to.value = String(Math.max(minV, Math.min(maxV, b)));
          apply(to);
        }
        IM.slider = {
          from: from, to: to, play: play, speed: speed, stop: stop, minDay: minDay, maxDay: maxDay,
          hourly: !!hourly, minValue: minV, maxValue: maxV, text: text,
          /* set the range from whole days (clamped), as the URL hash does */
          set: function (a, b) { setValues(a * per, b * per + per - 1); },
          /* set the range in the slider's own steps (hours when hourly) */
          setValues: setValues,
          update: function () { apply(to); },
        };
        label.textContent = rangeText(minV, maxV);
        return box;
      },
    });
    return new Control().addTo(map);
  };
})();
