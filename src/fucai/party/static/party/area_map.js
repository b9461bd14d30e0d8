/* A cadre's area on a map, configured by #area-map-config: the county boundaries around it
   (geo:boundaries), the area's demand cells — covered in grey, not covered coloured by their
   people — the open stations near it and the area's open leads (party:area_map), framed on
   the area. */
(function () {
  "use strict";
  var config = fucai.jsonScript("area-map-config");
  var el = document.getElementById("area-map");
  var status = document.getElementById("area-map-status");
  if (!config || !el) { return; }
  var chart = fucai.init(el);
  chart.showLoading({ text: config.labels.loading, color: "#c8102e" });
  Promise.all([fucai.getJSON(config.boundaries), fucai.getJSON(config.data)]).then(function (results) {
    echarts.registerMap("fucai-area", results[0]);
    var data = results[1];
    var blank = data.cells.filter(function (c) { return !c[3]; });
    var covered = data.cells.filter(function (c) { return c[3]; });
    var top = blank.reduce(function (m, c) { return Math.max(m, c[2]); }, 1);
    var b = data.bounds;
    var pad = b ? Math.max(0.01, (b[2] - b[0]) * 0.08, (b[3] - b[1]) * 0.08) : 0;
    chart.hideLoading();
    chart.setOption({
      textStyle: { fontFamily: fucai.FONT },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesIndex === 0 || p.seriesIndex === 1) {
          return fucai.tooltipLines(p.seriesName + ": " + Math.round(p.value[2]).toLocaleString() + " " + config.labels.people);
        }
        if (p.data && p.data.code !== undefined) { return fucai.tooltipLines(p.data.code + " " + p.data.name); }
        return fucai.tooltipLines(p.name);
      } },
      visualMap: { min: 0, max: Math.max(1, Math.round(top)), show: false, seriesIndex: 1, dimension: 2,
                   inRange: { color: ["#fdd49e", "#f46d43", "#a50026"] } },
      legend: { top: 0, data: [config.labels.covered, config.labels.uncovered, config.labels.stations, config.labels.leads] },
      geo: { map: "fucai-area", roam: true, top: 28, left: 4, right: 4, bottom: 4,
             boundingCoords: b ? [[b[0] - pad, b[3] + pad], [b[2] + pad, b[1] - pad]] : null,
             label: { show: true, color: "#4b5563", fontSize: 11 },
             itemStyle: { areaColor: "#f4f6f8", borderColor: "#9aa5b1", borderWidth: 1 },
             emphasis: { itemStyle: { areaColor: "#e6eaee" } }, select: { disabled: true } },
      series: [
        { name: config.labels.covered, type: "scatter", coordinateSystem: "geo", symbolSize: 6,
          itemStyle: { color: "#9ca3af", opacity: 0.6 }, data: covered },
        { name: config.labels.uncovered, type: "scatter", coordinateSystem: "geo", symbolSize: 6,
          itemStyle: { color: "#f46d43", opacity: 0.9 }, data: blank },
        { name: config.labels.stations, type: "scatter", coordinateSystem: "geo", symbolSize: 7, z: 3,
          itemStyle: { color: "#1d4ed8", borderColor: "#fff", borderWidth: 0.5 },
          data: data.stations.map(function (r) { return { value: [r[0], r[1]], code: r[2], name: r[3] }; }) },
        { name: config.labels.leads, type: "scatter", coordinateSystem: "geo", symbol: "diamond", symbolSize: 10, z: 4,
          itemStyle: { color: "#16a34a", borderColor: "#fff", borderWidth: 0.5 },
          data: data.leads.map(function (r) { return { value: [r[0], r[1]], code: "#" + r[2], name: r[3] }; }) }
      ]
    });
    if (status) {
      status.textContent = config.labels.uncovered_cells + " " + blank.length.toLocaleString() + " · " +
        config.labels.stations + " " + data.stations.length.toLocaleString() + " · " +
        config.labels.leads + " " + data.leads.length.toLocaleString();
    }
    el.setAttribute("data-ready", "true");
  }).catch(function (error) {
    chart.hideLoading();
    if (status) { status.textContent = config.labels.failed + " (" + error.message + ")"; }
  });
})();
