/* fucai's charts and maps, drawn with the vendored Apache ECharts (window.echarts). */
(function () {
  "use strict";

  var RED = "#c8102e";
  var SCENE_COLOURS = {
    street: "#5470c6", supermarket: "#91cc75", business_district: "#fac858", community: "#73c0de",
    shopping_complex: "#c8102e", tourism_street: "#9a60b4", instant_kiosk: "#fc8452", welfare_post: "#3ba272"
  };
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  /* Text from data (station, county and scene names, codes) made safe to put into HTML. Every
     tooltip formatter, label formatter or innerHTML built from data goes through it: a station
     named "<img src=x onerror=...>" must show as text, not run. */
  var HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(value) {
    if (value === null || value === undefined) { return ""; }
    return String(value).replace(/[&<>"']/g, function (c) { return HTML_ESCAPES[c]; });
  }

  /* Tooltip HTML: lines of data text, each escaped, joined by line breaks. */
  function tooltipLines() {
    return Array.prototype.map.call(arguments, escapeHtml).join("<br>");
  }

  function init(el) {
    var chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }

  /* The value a template passed with {{ value|json_script:"id" }} (inert data, allowed by the CSP). */
  function jsonScript(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(url + ": " + r.status); } return r.json(); });
  }

  /* Horizontal bars of open stations (and this year's openings) by group. */
  function barChart(el, data) {
    if (!el) { return null; }
    var rows = data.names.map(function (name, i) { return [name, data.open[i], data.opened[i]]; });
    rows.sort(function (a, b) { return a[1] - b[1]; });
    el.style.height = Math.max(320, rows.length * 26 + 70) + "px";
    var chart = init(el);
    chart.setOption({
      textStyle: { fontFamily: FONT },
      grid: { left: 8, right: 48, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, data: [data.labels.open, data.labels.opened] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef0f3" } } },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisTick: { show: false } },
      series: [
        { name: data.labels.open, type: "bar", data: rows.map(function (r) { return r[1]; }),
          itemStyle: { color: RED, borderRadius: [0, 3, 3, 0] }, barMaxWidth: 18,
          label: { show: true, position: "right", color: "#374151", fontSize: 11 } },
        { name: data.labels.opened, type: "bar", data: rows.map(function (r) { return r[2]; }),
          itemStyle: { color: "#f0a3ae", borderRadius: [0, 3, 3, 0] }, barMaxWidth: 18 }
      ]
    });
    return chart;
  }

  function regionStyle() {
    return {
      itemStyle: { areaColor: "#f8f3f4", borderColor: "#b58d94", borderWidth: 1 },
      emphasis: { itemStyle: { areaColor: "#f6dde1" }, label: { color: "#1f2933" } },
      select: { disabled: true }
    };
  }

  /* The [west, south, east, north] of a GeoJSON feature's rings. */
  function bounds(feature) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    (function walk(c) {
      if (typeof c[0] === "number") {
        box = [Math.min(box[0], c[0]), Math.min(box[1], c[1]), Math.max(box[2], c[0]), Math.max(box[3], c[1])];
      } else { c.forEach(walk); }
    })(feature.geometry.coordinates);
    return box;
  }

  /* A station's (or a lead's) county with its point on it. `extra` (optional): {points: [{lon,
     lat, name, kind}] drawn around it (kind "offender" in red rings, others grey), zoomed so
     that they stand apart; pick: function (lon, lat) called on a click on the map (the point
     moves there)}. A null point draws the county alone. */
  function miniMap(el, feature, point, extra) {
    if (!el) { return null; }
    extra = extra || {};
    var chart = init(el);
    var option = {
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "item", formatter: function (p) {
        if (!p.seriesType) { return tooltipLines(p.name); }
        return p.seriesIndex === 0 ? tooltipLines(point.code + " " + point.name) : tooltipLines(p.data.name);
      } },
      series: []
    };
    var marker = { type: "effectScatter", symbolSize: 12, itemStyle: { color: RED }, z: 3,
                   data: point ? [[point.lon, point.lat]] : [], rippleEffect: { scale: 3 } };
    var around = { type: "scatter", symbolSize: 9, z: 2,
                   data: (extra.points || []).slice().sort(function (a, b) {  // offenders on top
                     return (a.kind === "offender") - (b.kind === "offender");
                   }).map(function (p) {
                     var offender = p.kind === "offender";
                     return { value: [p.lon, p.lat], name: p.name,
                              itemStyle: offender ? { color: "#fff", borderColor: RED, borderWidth: 2 }
                                                  : { color: "#6b7280" } };
                   }) };
    if (feature) {
      var name = "county-" + feature.properties.adcode;
      echarts.registerMap(name, { type: "FeatureCollection", features: [feature] });
      option.geo = Object.assign({ map: name, roam: true, layoutSize: "92%",
        label: { show: true, color: "#6b7280", fontSize: 11 } }, regionStyle());
      if (point && around.data.length) {  // the county would hide metres: zoom on the point
        var box = bounds(feature), reach = 0;
        around.data.forEach(function (d) {
          reach = Math.max(reach, Math.abs(d.value[0] - point.lon), Math.abs(d.value[1] - point.lat));
        });
        var span = Math.max(box[2] - box[0], box[3] - box[1]);
        option.geo.center = [point.lon, point.lat];
        option.geo.zoom = Math.max(1, Math.min(200, span / (3 * Math.max(reach, 0.0005))));
      }
      marker.coordinateSystem = around.coordinateSystem = "geo";
    } else {
      option.xAxis = { type: "value", scale: true, show: false };
      option.yAxis = { type: "value", scale: true, show: false };
    }
    option.series.push(marker, around);
    chart.setOption(option);
    if (extra.pick && feature) {
      chart.getZr().on("click", function (e) {
        var at = chart.convertFromPixel({ geoIndex: 0 }, [e.offsetX, e.offsetY]);
        if (!at) { return; }
        point = Object.assign({}, point || { code: "", name: "" }, { lon: at[0], lat: at[1] });
        chart.setOption({ series: [{ data: [[at[0], at[1]]] }] });
        extra.pick(at[0], at[1]);
      });
    }
    return chart;
  }

  /* The network map: boundaries of the user's scope, open stations coloured by scene. A view of
     several cities drills down to a city's counties on click: there the stations are drawn as
     a density only (silent dots: a click goes through to the city), from county level on they
     are the targets (a click opens the station). */
  function networkMap(el, config) {
    var chart = init(el);
    var state = { stations: [], city: null };
    var sceneLabels = {};
    config.scenes.forEach(function (s) { sceneLabels[s.value] = s.label; });
    var cityByName = {};
    config.cities.forEach(function (c) { cityByName[c.name] = c.code; });
    var back = document.getElementById(config.backButtonId);
    var status = document.getElementById(config.statusId);

    function seriesFor(rows, silent) {
      var symbolSize = rows.length > 2000 ? 3 : rows.length > 300 ? 5 : 8;
      if (silent) { symbolSize = Math.min(symbolSize, 3); }
      return config.scenes.map(function (scene) {
        return {
          name: scene.label, type: "scatter", coordinateSystem: "geo", symbolSize: symbolSize,
          silent: !!silent,
          itemStyle: { color: SCENE_COLOURS[scene.value] || "#888", opacity: 0.85 },
          emphasis: { scale: 2 },
          data: rows.filter(function (r) { return r[4] === scene.value; })
            .map(function (r) { return { value: [r[0], r[1]], code: r[2], name: r[3], scene: scene.label }; })
        };
      });
    }

    function draw(mapName, rows, showLabels) {
      var silent = config.level === "city" && !state.city;  // the cities are the targets
      var narrow = el.clientWidth < 600;  // a phone: the scene legend in a line above the map
      chart.setOption({
        textStyle: { fontFamily: FONT },
        tooltip: {
          trigger: "item",
          formatter: function (p) {
            if (p.seriesType === "scatter") {
              return tooltipLines(p.data.code + " " + p.data.name, p.data.scene);
            }
            return tooltipLines(p.name);
          }
        },
        legend: narrow ? { type: "scroll", orient: "horizontal", left: 0, right: 0, top: 0,
                           itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11 } }
                       : { orient: "vertical", left: 8, bottom: 8, itemWidth: 10, itemHeight: 10,
                           textStyle: { fontSize: 12 } },
        geo: Object.assign({ map: mapName, roam: true, label: { show: showLabels, color: "#4b5563",
          fontSize: 11 } }, narrow ? { left: 4, right: 4, top: 36, bottom: 4 }
                                   : { left: 130, right: 8, top: 8, bottom: 8 }, regionStyle()),
        series: seriesFor(rows, silent)
      }, { replaceMerge: ["series", "geo"] });
      if (status) {
        status.textContent = config.labels.shown.replace("%(n)s", rows.length.toLocaleString());
      }
      el.setAttribute("data-level", state.city || config.level === "county" ? "county" : "city");
      el.setAttribute("data-city", state.city || "");
      fillSceneTable(rows);
    }

    function fillSceneTable(rows) {
      var table = document.getElementById(config.scenesTableId);
      if (!table) { return; }
      var body = table.querySelector("tbody");
      body.textContent = "";
      config.scenes.forEach(function (scene) {
        var count = rows.filter(function (r) { return r[4] === scene.value; }).length;
        var tr = document.createElement("tr");
        var name = document.createElement("td");
        var dot = document.createElement("span");
        dot.className = "fc-dot";
        dot.style.background = SCENE_COLOURS[scene.value] || "#888";
        name.appendChild(dot);
        name.appendChild(document.createTextNode(scene.label));
        var num = document.createElement("td");
        num.className = "num";
        num.textContent = count.toLocaleString();
        tr.appendChild(name);
        tr.appendChild(num);
        body.appendChild(tr);
      });
    }

    function showScope() {
      state.city = null;
      if (back) { back.hidden = true; }
      draw("fucai-scope", state.stations, true);
      el.setAttribute("data-ready", "true");
    }

    function showCity(code) {
      var mapName = "fucai-city-" + code;
      var rows = state.stations.filter(function (r) { return r[5] === code; });
      var ready = echarts.getMap(mapName) ? Promise.resolve() :
        getJSON(config.urls.county + "?city=" + encodeURIComponent(code)).then(function (geojson) {
          echarts.registerMap(mapName, geojson);
        });
      el.setAttribute("data-ready", "false");
      return ready.then(function () {
        state.city = code;
        if (back) { back.hidden = false; }
        draw(mapName, rows, true);
        el.setAttribute("data-ready", "true");
      });
    }

    chart.on("click", function (p) {
      if (p.seriesType === "scatter" && p.data && p.data.code) {
        window.location.href = config.urls.station.replace("__code__", p.data.code);
        return;
      }
      if (p.componentType === "geo" && config.level === "city" && !state.city && cityByName[p.name]) {
        showCity(cityByName[p.name]);
      }
    });
    if (back) { back.addEventListener("click", showScope); }

    chart.showLoading({ text: config.labels.loading, color: RED });
    var boundaryUrl = config.level === "city" ? config.urls.city : config.urls.county;
    return Promise.all([getJSON(boundaryUrl), getJSON(config.urls.stations + "?as_of=" + config.asOf)])
      .then(function (results) {
        echarts.registerMap("fucai-scope", results[0]);
        state.stations = results[1].stations;
        chart.hideLoading();
        showScope();
        el.setAttribute("data-ready", "true");
      })
      .catch(function (error) {
        chart.hideLoading();
        if (status) { status.textContent = config.labels.failed + " (" + error.message + ")"; }
      });
  }

  // init, getJSON, jsonScript, FONT, escapeHtml and tooltipLines are shared with the other pages'
  // scripts (the sales cockpit)
  window.fucai = {
    barChart: barChart, miniMap: miniMap, networkMap: networkMap, init: init, getJSON: getJSON,
    jsonScript: jsonScript, FONT: FONT, escapeHtml: escapeHtml, tooltipLines: tooltipLines
  };
})();
