/* The station's county with the station on it, from #station-county and #station-point. */
fucai.miniMap(document.getElementById("station-minimap"),
              fucai.jsonScript("station-county"), fucai.jsonScript("station-point"));
