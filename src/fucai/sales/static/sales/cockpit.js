/* The sales cockpit's charts and map, drawn with the vendored Apache ECharts (window.echarts).
   Every figure comes from the sales API, /api/sales/cockpit/… (amounts as exact yuan strings);
   they are turned into numbers here only to be drawn. Station, county and game names go into
   tooltip HTML through esc() only. Started by the page's #cockpit-config (json_script). */
(function () {
  "use strict";

  var RED = "#c8102e";
  var GREY = "#9ca3af";
  var INK = "#374151";
  var NO_BASE = "#f3d9a4";  // sold this year, nothing in last year's window: no YoY to colour by
  var NO_BASE_VALUE = 1e9;  // stands for "no YoY" in the visual map (never shown as a number)
  var FONT = window.fucai.FONT;  // fucai/charts.js, loaded before this file
  var init = window.fucai.init;
  var getJSON = window.fucai.getJSON;
  var GAME_COLOURS = ["#c8102e", "#5470c6", "#fac858", "#91cc75", "#73c0de", "#9a60b4", "#fc8452"];
  // YoY bands: red for growth, green for decline (the Chinese convention of the cards).
  var YOY_PIECES = [
    { gte: 50, lt: NO_BASE_VALUE, label: "≥ +50%", color: "#7f0a1d" },
    { gte: 30, lt: 50, label: "+30% – +50%", color: "#b3122d" },
    { gte: 20, lt: 30, label: "+20% – +30%", color: "#dc3f58" },
    { gte: 10, lt: 20, label: "+10% – +20%", color: "#ec8796" },
    { gte: 0, lt: 10, label: "0 – +10%", color: "#f7c9d0" },
    { gte: -10, lt: 0, label: "-10% – 0", color: "#bfe3c9" },
    { lt: -10, label: "< -10%", color: "#4f9f68" }
  ];

  function wan(yuan) {  // "26060000.00" yuan → 2606 (万元), for drawing only
    return yuan === null || yuan === undefined ? null : Math.round(Number(yuan) / 100) / 100;
  }

  function wanText(yuan) {
    var value = wan(yuan);
    if (value === null) { return "—"; }
    return value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function pctText(pct) {
    if (pct === null || pct === undefined) { return "—"; }
    var n = Number(pct);
    return (n > 0 ? "+" : "") + n.toFixed(1) + "%";
  }

  function pctColour(pct) {
    if (pct === null || pct === undefined || Number(pct) === 0) { return GREY; }
    return Number(pct) > 0 ? RED : "#1a7f37";
  }

  var esc = window.fucai.escapeHtml;  /* the one HTML escaper (fucai/charts.js) */

  function failed(chart, el, labels, error) {
    chart.hideLoading();
    el.setAttribute("data-error", error.message);
    chart.setOption({ title: { text: labels.failed, left: "center", top: "middle",
      textStyle: { color: GREY, fontSize: 13, fontWeight: "normal" } } });
  }

  /* This year's months (bars, to the as-of day) against last year's (line, whole months). */
  function monthlyChart(el, url, labels) {
    var chart = init(el);
    chart.showLoading({ text: labels.loading, color: RED });
    return getJSON(url).then(function (data) {
      chart.hideLoading();
      var months = data.months;
      chart.setOption({
        textStyle: { fontFamily: FONT },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        legend: { top: 0, right: 0 },
        tooltip: {
          trigger: "axis",
          confine: true,
          formatter: function (items) {
            var m = months[items[0].dataIndex];
            var lines = ["<b>" + esc(labels.months[m.month - 1]) + "</b>"];
            if (m.amount_yuan !== null) {
              lines.push(esc(labels.thisYear) + (m.partial ? " (" + esc(labels.toDay) + ")" : "") +
                         ": " + wanText(m.amount_yuan) + " " + esc(labels.tenThousandYuan));
              lines.push(esc(labels.sameDays) + ": " + wanText(m.same_period_yuan));
              lines.push(esc(labels.yoy) + ': <b style="color:' + pctColour(m.yoy_pct) + '">' +
                         pctText(m.yoy_pct) + "</b>");
            }
            lines.push(esc(labels.lastYear) + ": " + wanText(m.last_year_yuan));
            return lines.join("<br>");
          }
        },
        xAxis: { type: "category", data: months.map(function (m) { return labels.months[m.month - 1]; }),
                 axisTick: { alignWithLabel: true } },
        yAxis: { type: "value", name: labels.tenThousandYuan, nameTextStyle: { align: "left" },
                 splitLine: { lineStyle: { color: "#eef0f3" } } },
        series: [
          { name: labels.thisYear, type: "bar", barMaxWidth: 28,
            data: months.map(function (m) {
              var v = wan(m.amount_yuan);
              return m.partial && v !== null ? { value: v, itemStyle: { color: "#ec8796" } } : v;
            }),
            itemStyle: { color: RED, borderRadius: [3, 3, 0, 0] } },
          { name: labels.lastYear, type: "line", smooth: false, symbolSize: 6,
            data: months.map(function (m) { return wan(m.last_year_yuan); }),
            itemStyle: { color: GREY }, lineStyle: { color: GREY, width: 2, type: "dashed" } }
        ]
      });
      el.setAttribute("data-ready", "true");
      return chart;
    }).catch(function (error) { failed(chart, el, labels, error); });
  }

  /* The game mix: this year (outer ring) around last year's same window (inner ring). */
  function gamesChart(el, url, labels) {
    var chart = init(el);
    chart.showLoading({ text: labels.loading, color: RED });
    return getJSON(url).then(function (data) {
      chart.hideLoading();
      var colour = {};
      data.games.forEach(function (g, i) { colour[g.key] = GAME_COLOURS[i % GAME_COLOURS.length]; });
      function ring(field) {
        return data.games.filter(function (g) { return Number(g[field]) > 0; }).map(function (g) {
          return { name: g.name, value: wan(g[field]), game: g, itemStyle: { color: colour[g.key] } };
        });
      }
      var narrow = el.clientWidth < 560;  // a phone: legend above the rings, not over their labels
      var centre = narrow ? ["50%", "52%"] : ["36%", "50%"];
      chart.setOption({
        textStyle: { fontFamily: FONT },
        legend: narrow ? { type: "scroll", orient: "horizontal", left: 0, right: 0, top: 0,
                           itemWidth: 10, itemHeight: 10 }
                       : { type: "scroll", orient: "vertical", right: 0, top: "middle",
                           itemWidth: 10, itemHeight: 10 },
        tooltip: {
          trigger: "item",
          confine: true,
          formatter: function (p) {
            var g = p.data.game;
            var year = p.seriesIndex === 0 ? labels.thisYear : labels.lastYear;
            var lines = ["<b>" + esc(g.name) + "</b> · " + esc(year),
                         wanText(p.seriesIndex === 0 ? g.amount_yuan : g.prior_amount_yuan) + " " +
                         esc(labels.tenThousandYuan) + " (" + p.percent.toFixed(1) + "%)"];
            if (p.seriesIndex === 0) {
              lines.push(esc(labels.yoy) + ': <b style="color:' + pctColour(g.yoy_pct) + '">' +
                         pctText(g.yoy_pct) + "</b>");
            }
            return lines.join("<br>");
          }
        },
        title: { text: labels.rings, left: 0, bottom: 0,
                 textStyle: { fontSize: 11, fontWeight: "normal", color: GREY } },
        series: [
          { name: labels.thisYear, type: "pie", center: centre, radius: ["46%", "66%"],
            avoidLabelOverlap: true, labelLine: { length: 6, length2: 6 },
            label: { fontSize: 11, formatter: function (p) { return p.percent.toFixed(1) + "%"; } },
            data: ring("amount_yuan") },
          { name: labels.lastYear, type: "pie", center: centre, radius: ["26%", "42%"],
            label: { show: false }, itemStyle: { opacity: 0.55 }, data: ring("prior_amount_yuan") }
        ]
      });
      el.setAttribute("data-ready", "true");
      return chart;
    }).catch(function (error) { failed(chart, el, labels, error); });
  }

  /* Jiangxi (or the user's city) coloured by year-on-year growth. A click on a city drills the
     whole cockpit down to it (the page's ?city=…: cards, ranking, charts and exports), a click
     on one of its counties to that county's stations (?county=…); a station opens its page.
     At county level the stations that sold are drawn, sized by year-to-date amount. */
  function salesMap(el, config) {
    var chart = init(el);
    var labels = config.labels;
    var hint = document.getElementById("map-hint");
    var narrow = el.clientWidth < 600;  // a phone: the legend goes under the map, not over it
    var cityCodes = {};
    var cityNames = {};
    config.cities.forEach(function (c) {
      cityCodes[c.name] = c.code;
      cityCodes[c.code] = c.code;
      cityNames[c.code] = c.name;
    });
    var state = { level: null, city: null };

    function boundaries(level, city) {
      var name = level === "city" ? "fucai-sales-cities" : "fucai-sales-" + (city || "counties");
      if (echarts.getMap(name)) { return Promise.resolve(name); }
      var url = level === "city" ? config.urls.cityBoundaries :
        config.urls.countyBoundaries + (city ? "?city=" + encodeURIComponent(city) : "");
      return getJSON(url).then(function (geojson) {
        echarts.registerMap(name, geojson);
        return name;
      });
    }

    function featureNames(mapName) {  // adcode → the name the map knows the region by
      var names = {};
      var geo = echarts.getMap(mapName).geoJSON || echarts.getMap(mapName).geoJson;
      geo.features.forEach(function (f) { names[String(f.properties.adcode)] = f.properties.name; });
      return names;
    }

    function featureCodes(mapName) {  // the map's region name → adcode
      var codes = {};
      var names = featureNames(mapName);
      Object.keys(names).forEach(function (code) { codes[names[code]] = code; });
      return codes;
    }

    function stationSeries(stations) {
      var max = 0;
      stations.forEach(function (s) { max = Math.max(max, Number(s.amount_yuan)); });
      return {
        name: labels.stations, type: "scatter", coordinateSystem: "geo", geoIndex: 0, z: 5,
        symbolSize: function (value) { return max ? 3 + 11 * Math.sqrt(value[2] / max) : 3; },
        itemStyle: { color: "rgba(31, 41, 51, 0.45)", borderColor: "rgba(255, 255, 255, 0.8)",
                     borderWidth: 0.5 },
        emphasis: { itemStyle: { color: "#111827" } },
        data: stations.map(function (s) {
          return { name: s.code, value: [s.lon, s.lat, Number(s.amount_yuan)], station: s };
        })
      };
    }

    function tooltip(p) {
      if (p.seriesType === "scatter") {
        var s = p.data.station;
        return "<b>" + esc(s.code) + " " + esc(s.name) + "</b><br>" + esc(s.county) + "<br>" +
          esc(labels.yearToDate) + ": " + wanText(s.amount_yuan) + " " + esc(labels.tenThousandYuan) +
          "<br>" + esc(labels.sameDays) + ": " + wanText(s.prior_amount_yuan) + "<br>" +
          esc(labels.yoy) + ': <b style="color:' + pctColour(s.yoy_pct) + '">' + pctText(s.yoy_pct) + "</b>";
      }
      var r = p.data && p.data.region;
      if (!r) { return esc(p.name) + "<br>" + esc(labels.noData); }
      return "<b>" + esc(r.name) + "</b><br>" + esc(labels.yearToDate) + ": " + wanText(r.amount_yuan) +
        " " + esc(labels.tenThousandYuan) + "<br>" + esc(labels.sameDays) + ": " +
        wanText(r.prior_amount_yuan) + "<br>" + esc(labels.yoy) + ': <b style="color:' +
        pctColour(r.yoy_pct) + '">' + (r.yoy_pct === null ? esc(labels.noBase) : pctText(r.yoy_pct)) + "</b>";
    }

    function legend() {  // the YoY bands: a column left of the map, or under it on a phone
      return { type: "piecewise", seriesIndex: 0, left: 8, bottom: 8,
               pieces: YOY_PIECES.concat([{ gte: NO_BASE_VALUE, label: labels.noBase, color: NO_BASE }]),
               itemWidth: 14, itemHeight: 10, itemGap: narrow ? 4 : 6,
               textStyle: { fontSize: 11, color: INK }, text: [labels.yoy, ""], showLabel: true };
    }

    function geoBox() {  // where the map is drawn: beside the legend, never under it
      return narrow ? { left: 4, right: 4, top: 4, bottom: 150 } : { left: 150, right: 8, top: 8, bottom: 8 };
    }

    function hintText(data) {
      if (data.level === "city") { return labels.clickCity; }
      var where = cityNames[data.city] ? cityNames[data.city] + " · " : "";
      return where + (config.county ? labels.clickStation : labels.clickCounty);
    }

    function draw(mapName, data) {
      var names = featureNames(mapName);
      var regions = data.regions.map(function (r) {
        var value = r.yoy_pct === null ? NaN : Number(r.yoy_pct);
        if (r.yoy_pct === null && Number(r.amount_yuan) > 0) { value = NO_BASE_VALUE; }
        return { name: names[r.code] || r.name, region: r, value: value };
      });
      var series = [{ name: labels.yoy, type: "map", geoIndex: 0, data: regions }];
      if (data.stations.length) { series.push(stationSeries(data.stations)); }
      chart.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "item", formatter: tooltip, confine: true },
        visualMap: legend(),
        geo: Object.assign({ map: mapName, roam: true, zoom: 1,
               label: { show: true, color: "#1f2933", fontSize: narrow ? 10 : 11,
                        textBorderColor: "#fff", textBorderWidth: 2 },
               itemStyle: { areaColor: "#eef0f3", borderColor: "#ffffff", borderWidth: 1 },
               emphasis: { itemStyle: { areaColor: null, borderColor: INK, borderWidth: 1.5 },
                           label: { color: "#000" } },
               select: { disabled: true } }, geoBox()),
        series: series
      }, { replaceMerge: ["series", "geo"] });
      el.setAttribute("data-level", data.level);
      el.setAttribute("data-city", data.city || "");
      el.setAttribute("data-regions", String(data.regions.length));
      el.setAttribute("data-stations", String(data.stations.length));
      if (hint) { hint.textContent = hintText(data); }
    }

    function show() {
      chart.showLoading({ text: labels.loading, color: RED });
      el.setAttribute("data-ready", "false");
      var level = config.level;
      return Promise.all([boundaries(level, config.city), getJSON(config.urls.map)]).then(function (results) {
        chart.hideLoading();
        state.level = results[1].level;
        state.city = results[1].city;
        state.codes = featureCodes(results[0]);
        draw(results[0], results[1]);
        el.setAttribute("data-ready", "true");
      }).catch(function (error) { failed(chart, el, labels, error); });
    }

    function drillTo(p) {  // the cockpit's URL for the clicked region, or null
      var code = p.data && p.data.region ? p.data.region.code : null;
      if (state.level === "city") {
        code = code || cityCodes[p.name];
        return code && cityCodes[code] ? config.urls.drillCity.replace("__city__", code) : null;
      }
      code = code || (state.codes && state.codes[p.name]);
      if (!code || code === config.county) { return null; }
      return config.urls.drillCounty.replace("__county__", code);
    }

    chart.on("click", function (p) {
      if (p.seriesType === "scatter" && p.data && p.data.station) {
        window.location.href = config.urls.station.replace("__code__", p.data.station.code);
        return;
      }
      var url = drillTo(p);
      if (url) { window.location.href = url; }
    });
    return show();
  }

  function start(config) {
    var labels = config.labels;
    var monthly = document.getElementById("monthly-chart");
    var games = document.getElementById("games-chart");
    var map = document.getElementById("sales-map");
    if (monthly) { monthlyChart(monthly, config.urls.monthly, labels); }
    if (games) { gamesChart(games, config.urls.games, labels); }
    if (map) { salesMap(map, config); }
  }

  window.fucaiCockpit = { start: start, monthlyChart: monthlyChart, gamesChart: gamesChart,
                          salesMap: salesMap };

  // The page's configuration comes as JSON (json_script), so the page needs no inline script.
  var config = document.getElementById("cockpit-config");
  if (config) { start(JSON.parse(config.textContent)); }
})();
