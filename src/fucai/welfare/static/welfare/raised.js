/* The fund raised by city (#fund-chart-data): horizontal bars, this year and a year earlier. */
(function () {
  "use strict";
  var data = fucai.jsonScript("fund-chart-data");
  var el = document.getElementById("fund-chart");
  if (!data || !el) { return; }
  var chart = fucai.init(el);
  chart.setOption({
    textStyle: { fontFamily: fucai.FONT },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    // room on the right for the last value label; fewer labels on a phone
    grid: { left: 4, right: 28, top: 28, bottom: 4, containLabel: true },
    xAxis: { type: "value", splitNumber: el.clientWidth < 480 ? 3 : 5,
             axisLabel: { hideOverlap: true } },
    yAxis: { type: "category", inverse: true, data: data.cities, axisLabel: { interval: 0 } },
    series: [
      { name: data.labels.fund, type: "bar", data: data.fund, barMaxWidth: 16,
        itemStyle: { color: "#c8102e", borderRadius: [0, 3, 3, 0] } },
      { name: data.labels.prior, type: "bar", data: data.prior, barMaxWidth: 16,
        itemStyle: { color: "#f0a3ae", borderRadius: [0, 3, 3, 0] } }
    ]
  });
  el.setAttribute("data-ready", "true");
})();
