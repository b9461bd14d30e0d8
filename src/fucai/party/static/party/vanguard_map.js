/* The vanguard posts' map, configured by #vanguard-map-config: the boundaries of the user's
   cities (geo:boundaries), the Party-member vanguard posts of the day on top (party:vanguard_map,
   Party affairs only); a click on a post opens its station. */
(function () {
  "use strict";
  var config = fucai.jsonScript("vanguard-map-config");
  var el = document.getElementById("vanguard-map");
  var status = document.getElementById("vanguard-map-status");
  if (!config || !el) { return; }
  var chart = fucai.init(el);
  chart.showLoading({ text: config.labels.loading, color: "#c8102e" });
  Promise.all([fucai.getJSON(config.urls.city), fucai.getJSON(config.urls.posts)]).then(function (results) {
    echarts.registerMap("fucai-vanguard", results[0]);
    var posts = results[1].posts;
    var narrow = el.clientWidth < 600;
    chart.hideLoading();
    chart.setOption({
      textStyle: { fontFamily: fucai.FONT },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesType === "effectScatter") { return fucai.tooltipLines(p.data.code + " " + p.data.name); }
        return fucai.tooltipLines(p.name);
      } },
      geo: { map: "fucai-vanguard", roam: true, label: { show: !narrow, color: "#4b5563", fontSize: 11 },
             left: 4, right: 4, top: 4, bottom: 4,
             itemStyle: { areaColor: "#f8f3f4", borderColor: "#b58d94", borderWidth: 1 },
             emphasis: { itemStyle: { areaColor: "#f6dde1" } }, select: { disabled: true } },
      series: [
        { name: config.labels.posts, type: "effectScatter", coordinateSystem: "geo", symbolSize: 7,
          rippleEffect: { scale: 2.5 }, itemStyle: { color: "#c8102e" }, z: 3,
          data: posts.map(function (r) { return { value: [r[0], r[1]], code: r[2], name: r[3] }; }) }
      ]
    });
    chart.on("click", function (p) {
      if (p.seriesType === "effectScatter") {
        window.location.href = config.urls.station.replace("__code__", encodeURIComponent(p.data.code));
      }
    });
    if (status) { status.textContent = config.labels.posts + " " + posts.length.toLocaleString(); }
    el.setAttribute("data-ready", "true");
  }).catch(function (error) {
    chart.hideLoading();
    if (status) { status.textContent = config.labels.failed + " (" + error.message + ")"; }
  });
})();
