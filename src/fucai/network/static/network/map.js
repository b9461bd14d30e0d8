/* The network map, configured by #map-config. */
fucai.networkMap(document.getElementById("station-map"), fucai.jsonScript("map-config"));
