/* The blank-area map, configured by #blank-map-config: the boundaries of the scope (cities, or
   one city's counties), the uncovered cells coloured by their people (a heat layer), the open
   stations on top. */
(function () {
  "use strict";
  var config = fucai.jsonScript("blank-map-config");
  var el = document.getElementById("blank-map");
  var status = document.getElementById("blank-map-status");
  if (!config || !el) { return; }
  var chart = fucai.init(el);
  var county = config.level === "county";
  var boundaryUrl = county ? config.urls.county + "?city=" + encodeURIComponent(config.city)
                           : config.urls.city;
  var dataUrl = config.urls.data + "?" + new URLSearchParams(config.query).toString();
  chart.showLoading({ text: config.labels.loading, color: "#c8102e" });
  Promise.all([fucai.getJSON(boundaryUrl), fucai.getJSON(dataUrl)]).then(function (results) {
    echarts.registerMap("fucai-blank", results[0]);
    var data = results[1];
    var points = (data.uncovered_points || { points: [] }).points;
    // the colour scale ends at the 95th percentile, so that a few dense cells don't pale the rest
    var sorted = points.map(function (p) { return p[2]; }).sort(function (a, b) { return a - b; });
    var top = sorted.length ? sorted[Math.floor(sorted.length * 0.95)] : 1;
    var narrow = el.clientWidth < 600;
    chart.hideLoading();
    chart.setOption({
      textStyle: { fontFamily: fucai.FONT },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesIndex === 1) { return fucai.tooltipLines(p.data.code + " " + p.data.name); }
        if (p.seriesIndex === 0) {
          return fucai.tooltipLines(config.labels.uncovered + ": " + Math.round(p.value[2]).toLocaleString());
        }
        return fucai.tooltipLines(p.name);
      } },
      visualMap: { min: 0, max: Math.max(1, Math.round(top)), calculable: false, show: !narrow,
                   seriesIndex: 0, dimension: 2, left: 8, bottom: 8, itemHeight: 90, text: [config.labels.uncovered, ""],
                   inRange: { color: ["#fff5d6", "#fdae61", "#f46d43", "#a50026"] } },
      geo: { map: "fucai-blank", roam: true, label: { show: !narrow, color: "#4b5563", fontSize: 11 },
             left: 4, right: 4, top: 4, bottom: 4,
             itemStyle: { areaColor: "#f4f6f8", borderColor: "#9aa5b1", borderWidth: 1 },
             emphasis: { itemStyle: { areaColor: "#e6eaee" } }, select: { disabled: true } },
      series: [
        // the uncovered cells, coloured by their people (a heat layer that keeps each cell)
        { name: config.labels.uncovered, type: "scatter", coordinateSystem: "geo",
          symbolSize: county ? 5 : 3, progressive: 0, itemStyle: { opacity: 0.85 }, data: points },
        { name: config.labels.stations, type: "scatter", coordinateSystem: "geo",
          symbolSize: data.stations_shown.length > 2000 ? 2 : 4, z: 3,
          itemStyle: { color: "#1d4ed8", opacity: 0.9, borderColor: "#fff", borderWidth: 0.5 },
          data: data.stations_shown.map(function (r) { return { value: [r[0], r[1]], code: r[2], name: r[3] }; }) }
      ]
    });
    if (status) {
      status.textContent = config.labels.uncovered + " " + data.uncovered.toLocaleString() + " " +
        config.labels.people + " · " + config.labels.stations + " " + data.stations_shown.length.toLocaleString();
    }
    el.setAttribute("data-ready", "true");
  }).catch(function (error) {
    chart.hideLoading();
    if (status) { status.textContent = config.labels.failed + " (" + error.message + ")"; }
  });
})();
