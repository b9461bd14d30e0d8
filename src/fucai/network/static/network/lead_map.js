/* A lead's map. On its page (#lead-minimap): the county with the lead, the offenders of the
   spacing rules it breaks and the stations nearby (#lead-county, #lead-point,
   #lead-around-points). On its form (#lead-picker): the chosen county's boundary (fetched from
   geo:boundaries, per city, once), shown once a county is chosen; a click on the map fills in
   #id_lon and #id_lat (GCJ-02, as the boundaries and the stations are). */
(function () {
  "use strict";
  var detail = document.getElementById("lead-minimap");
  if (detail) {
    fucai.miniMap(detail, fucai.jsonScript("lead-county"), fucai.jsonScript("lead-point"),
                  { points: fucai.jsonScript("lead-around-points") || [] });
  }
  var picker = document.getElementById("lead-picker");
  var panel = document.getElementById("lead-picker-panel");
  var config = fucai.jsonScript("lead-picker-config");
  if (!picker || !config) { return; }
  var county = document.getElementById("id_county");
  var lon = document.getElementById("id_lon");
  var lat = document.getElementById("id_lat");
  var cities = {};
  var chart = null;

  function formPoint() {
    var x = parseFloat(lon.value), y = parseFloat(lat.value);
    return isNaN(x) || isNaN(y) ? null : { code: "", name: "", lon: x, lat: y };
  }

  function pick(x, y) {
    lon.value = x.toFixed(6);
    lat.value = y.toFixed(6);
    picker.setAttribute("data-picked", lon.value + "," + lat.value);
  }

  function boundaries(city) {
    if (!cities[city]) {
      cities[city] = fucai.getJSON(config.boundaries + "?city=" + encodeURIComponent(city));
    }
    return cities[city];
  }

  function draw() {
    var chosen = config.counties[county ? county.value : ""];
    picker.setAttribute("data-ready", "false");
    if (!chosen) { panel.hidden = true; return; }
    panel.hidden = false;  // before drawing: the chart takes the panel's size
    boundaries(chosen.city).then(function (geojson) {
      var feature = geojson.features.filter(function (f) {
        return String(f.properties.adcode) === chosen.adcode;
      })[0] || null;
      if (chart) { chart.dispose(); }
      chart = fucai.miniMap(picker, feature, formPoint(), { pick: pick });
      picker.setAttribute("data-ready", "true");
    });
  }

  if (county) { county.addEventListener("change", draw); }
  draw();
})();
