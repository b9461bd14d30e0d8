/* What-if: every change of a weight (slider or number) or of the method asks the run's JSON
   endpoint (engine.evaluate on the frozen inputs) and redraws the ranks beside the frozen ones. */
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  if (!form) { return; }
  var body = document.querySelector("#whatif tbody");
  var error = document.getElementById("whatif-error");
  var timer = null;
  function cell(text, cls, label) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    td.setAttribute("data-label", label);
    return td;
  }
  var heads = Array.prototype.map.call(document.querySelectorAll("#whatif thead th"), function (th) { return th.textContent; });
  function draw(data) {
    body.innerHTML = "";
    data.alternatives.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.setAttribute("data-id", r.id);
      tr.appendChild(cell(r.label, "", heads[0]));
      tr.appendChild(cell(r.frozen_rank, "text-end", heads[1]));
      tr.appendChild(cell(r.rank, "text-end", heads[2]));
      tr.appendChild(cell(r.moved > 0 ? "↑" + r.moved : (r.moved < 0 ? "↓" + (-r.moved) : "="), "text-end", heads[3]));
      tr.appendChild(cell(r.frozen_grade, "", heads[4]));
      tr.appendChild(cell(r.grade, r.grade !== r.frozen_grade ? "fw-bold" : "", heads[5]));
      tr.appendChild(cell(r.score.toFixed(2), "text-end", heads[6]));
      body.appendChild(tr);
    });
  }
  function ask() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    fetch(form.getAttribute("data-url") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (d) { return { ok: r.ok, data: d }; }); })
      .then(function (res) {
        if (!res.ok) { error.textContent = res.data.detail; error.classList.remove("d-none"); return; }
        error.classList.add("d-none");
        draw(res.data);
      });
  }
  function later() { clearTimeout(timer); timer = setTimeout(ask, 150); }
  form.querySelectorAll("input[type=range]").forEach(function (range) {
    var box = document.getElementById(range.getAttribute("data-pair"));
    range.addEventListener("input", function () { box.value = range.value; later(); });
    box.addEventListener("input", function () { range.value = box.value; later(); });
  });
  form.querySelectorAll("select").forEach(function (s) { s.addEventListener("change", later); });
  ask();
})();
