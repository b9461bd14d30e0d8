/* The overview's bar chart, from the figures the page carries in #overview-chart-data. */
fucai.barChart(document.getElementById("overview-chart"), fucai.jsonScript("overview-chart-data"));
