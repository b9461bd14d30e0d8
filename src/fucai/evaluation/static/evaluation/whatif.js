/* What-if: every change of a weight (slider or number) or of the method asks the run's JSON
   endpoint (engine.evaluate on the frozen inputs) and shows, beside each input, the weight the
   ranking used (the numbers divided by their sum) and their sum, then the ranks, grades and
   scores, frozen → new, side by side: the first TOP rows, "show all" for the rest, or only
   those whose rank or grade changed. */
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  if (!form) { return; }
  var table = document.getElementById("whatif");
  var body = table.querySelector("tbody");
  var error = document.getElementById("whatif-error");
  var summary = document.getElementById("whatif-summary");
  var onlyMoved = document.getElementById("only-moved");
  var more = document.getElementById("show-all");
  var none = document.getElementById("whatif-none");
  var TOP = parseInt(table.getAttribute("data-top"), 10) || 20;
  var shortLabels = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.getAttribute("data-short");
  });
  var timer = null, last = null, showAll = false;

  function cell(text, cls, index) {
    var td = document.createElement("td");
    td.textContent = text;
    td.className = cls + (shortLabels[index] ? " fc-labelled" : "");
    td.setAttribute("data-label", shortLabels[index] || "");
    return td;
  }
  function changed(r) { return r.moved !== 0 || r.grade !== r.frozen_grade; }
  function fixed(x) { return Number(x).toFixed(4); }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) { return values[key]; });
  }

  function showWeights(weights) {
    var used = 0, entered = 0;
    form.querySelectorAll("output[data-indicator]").forEach(function (out) {
      var name = out.getAttribute("data-indicator");
      var w = weights[name] || 0;
      used += w;
      out.value = out.textContent.replace(/[-\d.]+$/, "") + fixed(w);
      out.classList.toggle("fc-ev-changed", Math.abs(w - parseFloat(out.getAttribute("data-frozen"))) >= 0.00005);
      var box = document.getElementById("w_" + name);
      entered += parseFloat(box.value) || 0;
    });
    document.getElementById("used-sum").textContent = fixed(used);
    document.getElementById("entered-sum").textContent = fixed(entered);
  }

  function draw() {
    if (!last) { return; }
    var rows = last.alternatives;
    var moved = rows.filter(function (r) { return r.moved !== 0; }).length;
    var graded = rows.filter(function (r) { return r.grade !== r.frozen_grade; }).length;
    summary.textContent = format(summary.getAttribute("data-text"), { n: rows.length, moved: moved, graded: graded });
    if (onlyMoved.checked) { rows = rows.filter(changed); }
    var shown = showAll ? rows : rows.slice(0, TOP);
    body.innerHTML = "";
    shown.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", r.id);
      tr.appendChild(cell(r.frozen_rank + " → " + r.rank, "text-end", 0));
      tr.appendChild(cell(r.label, "", 1));
      var arrow = r.moved > 0 ? "↑" + r.moved : (r.moved < 0 ? "↓" + (-r.moved) : "=");
      tr.appendChild(cell(arrow, "text-end fc-ev-move " + (r.moved > 0 ? "fc-ev-up" : (r.moved < 0 ? "fc-ev-down" : "fc-muted")), 2));
      var grade = r.grade === r.frozen_grade ? r.grade : r.frozen_grade + " → " + r.grade;
      tr.appendChild(cell(grade, r.grade !== r.frozen_grade ? "fw-bold" : "", 3));
      tr.appendChild(cell(r.frozen_score.toFixed(2) + " → " + r.score.toFixed(2), "text-end", 4));
      body.appendChild(tr);
    });
    var hidden = rows.length - shown.length;
    more.classList.toggle("d-none", hidden <= 0 && !(showAll && rows.length > TOP));
    more.textContent = hidden > 0 ? format(more.getAttribute("data-label"), { n: hidden }) : more.getAttribute("data-fewer");
    none.classList.toggle("d-none", rows.length > 0);
  }

  function ask() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    fetch(form.getAttribute("data-url") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        if (!res.ok) { error.textContent = res.data.detail; error.classList.remove("d-none"); return; }
        error.classList.add("d-none");
        last = res.data;
        showWeights(last.weights);
        draw();
      });
  }
  function later() { clearTimeout(timer); timer = setTimeout(ask, 150); }
  form.querySelectorAll("input[type=range]").forEach(function (range) {
    var box = document.getElementById(range.getAttribute("data-pair"));
    range.addEventListener("input", function () { box.value = range.value; later(); });
    box.addEventListener("input", function () { range.value = box.value; later(); });
  });
  form.querySelectorAll("select").forEach(function (s) { s.addEventListener("change", later); });
  onlyMoved.addEventListener("change", draw);
  more.addEventListener("click", function () { showAll = !showAll; draw(); });
  ask();
})();
