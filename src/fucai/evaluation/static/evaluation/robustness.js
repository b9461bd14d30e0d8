/* Rank robustness: per alternative its frozen rank (a dot) and the 5th–95th percentile rank
   over the Dirichlet draws (a bar; the borderline in amber, a series and a legend entry of their
   own so that the legend's colours are the bars'). From #robustness-data. Beyond PAGE rows the
   chart keeps its height and scrolls its rows with a slider. */
(function () {
  "use strict";
  var el = document.getElementById("robustness-chart");
  var data = fucai.jsonScript("robustness-data");
  if (!el || !data || !data.names.length) { return; }
  var PAGE = 25, ROW = 22;
  var RED = "#c8102e", BAND = "rgba(200, 16, 46, 0.3)", AMBER = "rgba(217, 119, 6, 0.6)";
  var n = data.names.length, scrolls = n > PAGE;
  el.style.height = (Math.min(n, PAGE) * ROW + 90) + "px";
  var chart = fucai.init(el);
  var span = data.high.map(function (h, i) { return h - data.low[i]; });
  function part(borderline) {
    return span.map(function (v, i) { return data.borderline[i] === borderline ? v : 0; });
  }
  var names = [data.labels.rank, data.labels.interval];
  if (data.borderline.indexOf(true) >= 0) { names.push(data.labels.borderline); }
  chart.setOption({
    textStyle: { fontFamily: fucai.FONT },
    grid: { left: 8, right: scrolls ? 34 : 16, top: 48, bottom: 24, containLabel: true },
    legend: { top: 0, left: 0, data: names, itemWidth: 14, itemHeight: 10 },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
      formatter: function (items) {
        var i = items[0].dataIndex;
        return fucai.tooltipLines(data.names[i], data.labels.rank + ": " + data.rank[i],
          data.labels.interval + ": " + data.low[i] + " – " + data.high[i]);
      } },
    yAxis: { type: "category", data: data.names, inverse: true, axisTick: { show: false } },
    xAxis: { type: "value", name: data.labels.axis, nameLocation: "middle", nameGap: 22, min: 1,
      minInterval: 1 },  // the rows in view set its end
    dataZoom: scrolls ? [
      { type: "slider", yAxisIndex: 0, startValue: 0, endValue: PAGE - 1, right: 4, width: 16,
        zoomLock: true, brushSelect: false, showDetail: false, filterMode: "filter" },
      { type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true,
        moveOnMouseMove: false, preventDefaultMouseMove: false }
    ] : [],
    series: [
      { name: "low", type: "bar", stack: "r", data: data.low,
        itemStyle: { color: "transparent" }, silent: true, tooltip: { show: false } },
      { name: data.labels.interval, type: "bar", stack: "r", data: part(false), itemStyle: { color: BAND },
        barMaxWidth: 14 },
      { name: data.labels.borderline, type: "bar", stack: "r", data: part(true), itemStyle: { color: AMBER },
        barMaxWidth: 14 },
      { name: data.labels.rank, type: "scatter", data: data.rank, itemStyle: { color: RED }, symbolSize: 8, z: 3 }
    ]
  });
})();
