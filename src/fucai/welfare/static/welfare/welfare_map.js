/* The welfare map, configured by #welfare-map-config: the boundaries of the user's cities
   (geo:boundaries), the year's 福彩公益行 activities and placements and the 福彩公益驿站 on top
   (welfare:map_data, in the user's scope); a click opens the activity or the station. */
(function () {
  "use strict";
  var config = fucai.jsonScript("welfare-map-config");
  var el = document.getElementById("welfare-map");
  var status = document.getElementById("welfare-map-status");
  if (!config || !el) { return; }
  var chart = fucai.init(el);
  chart.showLoading({ text: config.labels.loading, color: "#c8102e" });
  Promise.all([fucai.getJSON(config.urls.city), fucai.getJSON(config.urls.points)]).then(function (results) {
    echarts.registerMap("fucai-welfare", results[0]);
    var data = results[1];
    var narrow = el.clientWidth < 600;
    chart.hideLoading();
    chart.setOption({
      textStyle: { fontFamily: fucai.FONT },
      legend: { top: 4, left: 4 },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesIndex === 0) { return fucai.tooltipLines(p.data.date + " " + p.data.name + "\n" + p.data.kind + " · " + p.data.people); }
        if (p.seriesIndex === 1) { return fucai.tooltipLines(p.data.code + " " + p.data.name); }
        return fucai.tooltipLines(p.name);
      } },
      geo: { map: "fucai-welfare", roam: true, label: { show: !narrow, color: "#4b5563", fontSize: 11 },
             left: 4, right: 4, top: 32, bottom: 4,
             itemStyle: { areaColor: "#f8f3f4", borderColor: "#b58d94", borderWidth: 1 },
             emphasis: { itemStyle: { areaColor: "#f6dde1" } }, select: { disabled: true } },
      series: [
        { name: config.labels.activities, type: "effectScatter", coordinateSystem: "geo", symbolSize: 8,
          rippleEffect: { scale: 2.5 }, itemStyle: { color: "#c8102e" }, z: 4,
          data: data.activities.map(function (r) { return { value: [r[0], r[1]], id: r[2], name: r[3], kind: r[4], date: r[5], people: r[6] }; }) },
        { name: config.labels.posts, type: "scatter", coordinateSystem: "geo", symbol: "diamond", symbolSize: 6,
          itemStyle: { color: "#d97706" }, z: 3,
          data: data.posts.map(function (r) { return { value: [r[0], r[1]], code: r[2], name: r[3] }; }) }
      ]
    });
    chart.on("click", function (p) {
      if (p.seriesIndex === 0) { window.location.href = config.urls.activity.replace("__pk__", p.data.id); }
      if (p.seriesIndex === 1) { window.location.href = config.urls.station.replace("__code__", encodeURIComponent(p.data.code)); }
    });
    if (status) { status.textContent = config.labels.activities + " " + data.activities.length.toLocaleString() + " · " + config.labels.posts + " " + data.posts.length.toLocaleString(); }
    el.setAttribute("data-ready", "true");
  }).catch(function (error) {
    chart.hideLoading();
    if (status) { status.textContent = config.labels.failed + " (" + error.message + ")"; }
  });
})();
