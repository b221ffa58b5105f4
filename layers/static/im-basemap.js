/* incidentmap runtime (basemap): place labels of the offline basemap, drawn at each zoom from a
 * data block (layers.labels): biggest places first, none overlapping another, as text nodes
 * in their own pane under the markers; shown only while the offline basemap is the base. */
(function () {
  "use strict";
  var IM = window.IncidentMap;
  var el = IM.util.el;
  var CLASSES = ["im-lbl-city", "im-lbl-town", "im-lbl-village", "im-lbl-country"];
  var CHAR_PX = [7.2, 6.4, 5.8, 7.5], HEIGHT_PX = [15, 13, 12, 14];
  var MAX_DRAWN = 220;

  IM.placeLabels = function (map, data) {
    var pane = map.getPane("im-labels") || map.createPane("im-labels");
    pane.style.zIndex = 450;  // over the country fills (400), under markers (600)
    pane.style.pointerEvents = "none";
    pane.setAttribute("aria-hidden", "true");
    var shown = data.on !== false, n = data.name.length;
    function draw() {
      while (pane.firstChild) pane.removeChild(pane.firstChild);
      if (!shown) return;
      var z = map.getZoom(), b = map.getBounds(), taken = [], drawn = 0;
      for (var i = 0; i < n && drawn < MAX_DRAWN; i++) {
        var c = data.c[i];
        if (data.z[i] > z || (c === 3 && z > 8)) continue;
        var ll = L.latLng(data.lat[i], data.lon[i]);
        if (!b.contains(ll)) continue;
        var p = map.latLngToLayerPoint(ll), w = data.name[i].length * CHAR_PX[c] + 6;
        var h = HEIGHT_PX[c];
        var box = c === 3 ? [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2]
          : [p.x + 4, p.y - h / 2, p.x + 4 + w, p.y + h / 2];
        var clash = false;
        for (var k = 0; k < taken.length && !clash; k++) {
          var t = taken[k];
          clash = box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1];
        }
        if (clash) continue;
        taken.push([box[0] - 4, box[1] - 2, box[2] + 4, box[3] + 2]);
        var node = el("div", "im-lbl " + CLASSES[c], data.name[i]);
        if (c !== 3) node.appendChild(el("span", "im-lbl-dot"));
        node.style.left = Math.round(box[0]) + "px";
        node.style.top = Math.round(box[1]) + "px";
        pane.appendChild(node);
        drawn++;
      }
      IM.labelsDrawn = drawn;
    }
    map.on("zoomend moveend", draw);
    map.on("baselayerchange", function (e) {
      shown = e.name === data.base;
      draw();
    });
    draw();
    return { draw: draw };
  };
})();
