/* A siting scenario's map, configured by #scenario-map-config: the boundaries (the scenario's
   city's counties, or the cities), the open stations, and the chosen sites sized by the
   population each newly covers. */
(function () {
  "use strict";
  var config = fucai.jsonScript("scenario-map-config");
  var el = document.getElementById("scenario-map");
  var status = document.getElementById("scenario-map-status");
  if (!config || !el) { return; }
  var chart = fucai.init(el);
  var county = !!config.city;
  var boundaryUrl = county ? config.urls.county + "?city=" + encodeURIComponent(config.city)
                           : config.urls.city;
  chart.showLoading({ text: config.labels.loading, color: "#c8102e" });
  Promise.all([fucai.getJSON(boundaryUrl), fucai.getJSON(config.urls.data)]).then(function (results) {
    echarts.registerMap("fucai-scenario", results[0]);
    var data = results[1];
    var max = data.sites.reduce(function (m, s) { return Math.max(m, s.new_population); }, 1);
    var narrow = el.clientWidth < 600;
    chart.hideLoading();
    chart.setOption({
      textStyle: { fontFamily: fucai.FONT },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesIndex === 1) {
          return fucai.tooltipLines("#" + p.data.rank + " " + p.data.county,
            config.labels.adds + " " + p.data.new_population.toLocaleString() + " " + config.labels.people);
        }
        if (p.seriesIndex === 0) { return fucai.tooltipLines(p.data.code + " " + p.data.name); }
        return fucai.tooltipLines(p.name);
      } },
      geo: { map: "fucai-scenario", roam: true, label: { show: !narrow, color: "#4b5563", fontSize: 11 },
             left: 4, right: 4, top: 4, bottom: 4,
             itemStyle: { areaColor: "#f4f6f8", borderColor: "#9aa5b1", borderWidth: 1 },
             emphasis: { itemStyle: { areaColor: "#e6eaee" } }, select: { disabled: true } },
      series: [
        { name: config.labels.stations, type: "scatter", coordinateSystem: "geo",
          symbolSize: data.stations.length > 2000 ? 2 : 3, itemStyle: { color: "#1d4ed8", opacity: 0.6 },
          data: data.stations.map(function (r) { return { value: [r[0], r[1]], code: r[2], name: r[3] }; }) },
        { name: config.labels.sites, type: "scatter", coordinateSystem: "geo",
          symbolSize: function (v, p) { return 5 + 13 * Math.sqrt(p.data.new_population / max); },
          itemStyle: { color: "rgba(200, 16, 46, 0.75)", borderColor: "#fff", borderWidth: 1 }, z: 3,
          data: data.sites.map(function (s) {
            return { value: [s.lon, s.lat], rank: s.rank, county: s.county, new_population: s.new_population };
          }) }
      ]
    });
    if (status) {
      status.textContent = config.labels.sites + " " + data.sites.length + " · " +
        config.labels.stations + " " + data.stations.length.toLocaleString();
    }
    el.setAttribute("data-ready", "true");
  }).catch(function (error) {
    chart.hideLoading();
    if (status) { status.textContent = config.labels.failed + " (" + error.message + ")"; }
  });
})();
