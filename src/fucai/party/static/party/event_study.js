/* The effect study's event-study chart: the coefficient by month since the start with its
   95 % interval (a band), zero marked; from #event-study-data. */
(function () {
  "use strict";
  var el = document.getElementById("event-study-chart");
  var data = fucai.jsonScript("event-study-data");
  if (!el || !data || !data.k.length) { return; }
  var chart = fucai.init(el);
  var low = data.low, band = data.high.map(function (h, i) { return h - low[i]; });
  chart.setOption({
    textStyle: { fontFamily: fucai.FONT },
    grid: { left: 8, right: 16, top: 32, bottom: 28, containLabel: true },
    legend: { top: 0, data: [data.labels.coef, data.labels.interval] },
    tooltip: {
      trigger: "axis",
      formatter: function (items) {
        var i = items[0].dataIndex;
        return fucai.tooltipLines(data.labels.axis + ": " + data.k[i],
          data.labels.coef + ": " + data.coef[i],
          data.labels.interval + ": " + data.low[i] + " – " + data.high[i]);
      }
    },
    xAxis: { type: "category", data: data.k, name: data.labels.axis, nameLocation: "middle", nameGap: 24 },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" }, splitLine: { lineStyle: { color: "#eef0f3" } } },
    series: [
      { name: "low", type: "line", data: low, stack: "ci", stackStrategy: "all", lineStyle: { opacity: 0 }, symbol: "none", silent: true },
      { name: data.labels.interval, type: "line", data: band, stack: "ci", stackStrategy: "all", lineStyle: { opacity: 0 }, symbol: "none",
        areaStyle: { color: "rgba(200, 16, 46, 0.15)" }, itemStyle: { color: "rgba(200, 16, 46, 0.3)" }, silent: true },
      { name: data.labels.coef, type: "line", data: data.coef, symbolSize: 7, itemStyle: { color: "#c8102e" },
        markLine: { silent: true, symbol: "none", lineStyle: { color: "#6b7280", type: "dashed" }, data: [{ yAxis: 0 }] } }
    ]
  });
})();
