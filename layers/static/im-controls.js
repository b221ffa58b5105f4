/* incidentmap runtime (controls): the title box and boxes of escaped markup (legend). */
(function () {
  "use strict";
  var IM = (window.IncidentMap = window.IncidentMap || { layers: [], searchable: [] });
  var el = IM.util.el;

  /* a control box; fill(div) puts its content in */
  function boxControl(map, position, cls, style, fill) {
    var c = L.control({ position: position });
    c.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      fill(div);
      if (style) div.style.cssText = style;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return c.addTo(map);
  }

  /* the map title and subtitle, as text nodes */
  IM.titleControl = function (map, data) {
    return boxControl(map, "topleft", "im-title leaflet-bar", "", function (div) {
      div.appendChild(document.createTextNode(data.title));
      if (data.subtitle) div.appendChild(el("small", null, data.subtitle));
    });
  };

  /* a box of markup built by layers.controls from our own words (every text escaped there) */
  IM.htmlControl = function (map, data) {
    return boxControl(map, data.position, data.css_class, data.style, function (div) {
      div.innerHTML = data.html;
    });
  };
})();
