/* Rank robustness: per alternative its frozen rank (a dot) and the 5th–95th percentile rank
   over the Dirichlet draws (a bar); borderline people in amber. From #robustness-data. */
(function () {
  "use strict";
  var el = document.getElementById("robustness-chart");
  var data = fucai.jsonScript("robustness-data");
  if (!el || !data || !data.names.length) { return; }
  var chart = fucai.init(el);
  var span = data.high.map(function (h, i) { return h - data.low[i]; });
  chart.setOption({
    textStyle: { fontFamily: fucai.FONT },
    grid: { left: 8, right: 16, top: 28, bottom: 24, containLabel: true },
    legend: { top: 0, data: [data.labels.rank, data.labels.interval] },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
      formatter: function (items) {
        var i = items[0].dataIndex;
        return fucai.tooltipLines(data.names[i], data.labels.rank + ": " + data.rank[i],
          data.labels.interval + ": " + data.low[i] + " – " + data.high[i]);
      } },
    yAxis: { type: "category", data: data.names, inverse: true },
    xAxis: { type: "value", name: data.labels.axis, min: 1, inverse: false },
    series: [
      { name: "low", type: "bar", stack: "r", data: data.low, itemStyle: { color: "transparent" }, silent: true },
      { name: data.labels.interval, type: "bar", stack: "r", data: span.map(function (v, i) {
          return { value: v, itemStyle: { color: data.borderline[i] ? "rgba(217, 119, 6, 0.55)" : "rgba(200, 16, 46, 0.3)" } };
        }) },
      { name: data.labels.rank, type: "scatter", data: data.rank, itemStyle: { color: "#c8102e" }, symbolSize: 8 }
    ]
  });
})();
