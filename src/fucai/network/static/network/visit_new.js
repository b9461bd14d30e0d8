/* The field-visit phone page (fucai.network.visit_views.visit_new).
 *
 * - the station is searched among the stations embedded in the page (the user's own);
 * - the phone's position (navigator.geolocation, WGS-84) goes with the visit, and the distance to
 *   the station is shown live (the station's GCJ-02 coordinates converted, then haversine: for
 *   display only; the server computes the distance it records);
 * - a saved visit goes first into a queue in IndexedDB with its idempotency key, then is sent;
 *   what could not be sent (offline, a failing connection) stays there and is sent on `online`,
 *   on the next load and every 20 s: the server stores each key once, so a visit sent twice is
 *   one visit;
 * - a service worker (scope: the visit pages) keeps the page shell for a poor connection.
 */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("visit-config").textContent);
  const L = config.labels;
  const $ = (id) => document.getElementById(id);
  const form = $("visit-form");
  const stations = config.stations; // [code, name, county, lon, lat]
  const byCode = new Map(stations.map((s) => [s[0], s]));
  let position = null;

  // -- GCJ-02 → WGS-84 (the usual approximation; metres off at most) and haversine ---------
  const A = 6378245.0, EE = 0.00669342162296594323;
  function outOfChina(lon, lat) { return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271; }
  function tLat(x, y) {
    let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(y * Math.PI) + 40 * Math.sin(y / 3 * Math.PI)) * 2 / 3;
    r += (160 * Math.sin(y / 12 * Math.PI) + 320 * Math.sin(y * Math.PI / 30)) * 2 / 3;
    return r;
  }
  function tLon(x, y) {
    let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
    r += (20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2 / 3;
    r += (20 * Math.sin(x * Math.PI) + 40 * Math.sin(x / 3 * Math.PI)) * 2 / 3;
    r += (150 * Math.sin(x / 12 * Math.PI) + 300 * Math.sin(x / 30 * Math.PI)) * 2 / 3;
    return r;
  }
  function gcjToWgs(lon, lat) {
    if (outOfChina(lon, lat)) return [lon, lat];
    let dLat = tLat(lon - 105, lat - 35), dLon = tLon(lon - 105, lat - 35);
    const radLat = lat / 180 * Math.PI;
    let magic = Math.sin(radLat); magic = 1 - EE * magic * magic;
    const sq = Math.sqrt(magic);
    dLat = (dLat * 180) / ((A * (1 - EE)) / (magic * sq) * Math.PI);
    dLon = (dLon * 180) / (A / sq * Math.cos(radLat) * Math.PI);
    return [lon - dLon, lat - dLat];
  }
  function haversine(lon1, lat1, lon2, lat2) {
    const r = Math.PI / 180, R = 6371008.8;
    const a = Math.sin((lat2 - lat1) * r / 2) ** 2 +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin((lon2 - lon1) * r / 2) ** 2;
    return 2 * R * Math.asin(Math.sqrt(a));
  }
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, k) => String(values[k]));

  // -- the station: search and choice ---------------------------------------------------------
  const search = $("visit-station-search"), matches = $("visit-station-matches");
  function choose(code) {
    const s = byCode.get(code);
    $("id_station").value = s ? s[0] : "";
    $("visit-station-chosen").hidden = !s;
    if (s) {
      $("visit-station-name").textContent = s[1];
      $("visit-station-code").textContent = s[0] + " · " + s[2];
      search.value = "";
    }
    matches.replaceChildren();
    showDistance();
  }
  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    matches.replaceChildren();
    if (!q) return;
    const found = stations.filter((s) => s[0].includes(q) || s[1].toLowerCase().includes(q)).slice(0, 8);
    if (!found.length) {
      const none = document.createElement("div");
      none.className = "list-group-item fc-muted"; none.textContent = L.noMatch;
      matches.append(none);
    }
    for (const s of found) {
      const item = document.createElement("button");
      item.type = "button"; item.className = "list-group-item list-group-item-action";
      item.dataset.code = s[0];
      const name = document.createElement("span"); name.className = "fw-semibold"; name.textContent = s[1];
      const code = document.createElement("span"); code.className = "small fc-muted"; code.textContent = s[0] + " · " + s[2];
      item.append(name, code);
      item.addEventListener("click", () => choose(s[0]));
      matches.append(item);
    }
  });
  if (stations.length === 1) choose(stations[0][0]);
  else if ($("id_station").value) choose($("id_station").value);

  // -- the phone's position -------------------------------------------------------------------
  function showDistance() {
    const el = $("visit-distance");
    const s = byCode.get($("id_station").value);
    el.classList.remove("fc-far");
    if (!position) { el.textContent = navigator.geolocation ? L.locating : L.noPosition; return; }
    $("visit-accuracy").textContent = "±" + Math.round(position.accuracy) + " m";
    if (!s) { el.textContent = L.noStation; return; }
    const [lon, lat] = gcjToWgs(s[3], s[4]);
    const metres = Math.round(haversine(lon, lat, position.lon, position.lat));
    el.textContent = fmt(L.distance, { m: metres });
    if (metres > config.farMetres) {
      el.classList.add("fc-far");
      el.textContent += " · " + fmt(L.far, { m: config.farMetres });
    }
  }
  if (navigator.geolocation) {
    navigator.geolocation.watchPosition(
      (p) => {
        position = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy };
        $("id_lon").value = position.lon.toFixed(6);
        $("id_lat").value = position.lat.toFixed(6);
        $("id_accuracy_m").value = Math.round(position.accuracy);
        showDistance();
      },
      () => { $("visit-distance").textContent = L.noPosition; },
      { enableHighAccuracy: true, maximumAge: 30000, timeout: 20000 }
    );
  } else showDistance();

  // -- the queue in IndexedDB -----------------------------------------------------------------
  const DB = "fucai-visits", STORE = "queue";
  function db() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "key" });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }
  async function tx(mode, fn) {
    const conn = await db();
    return new Promise((resolve, reject) => {
      const t = conn.transaction(STORE, mode);
      const result = fn(t.objectStore(STORE));
      t.oncomplete = () => { conn.close(); resolve(result && result.result); };
      t.onerror = () => { conn.close(); reject(t.error); };
    });
  }
  const queued = () => tx("readonly", (s) => s.getAll());
  const enqueue = (item) => tx("readwrite", (s) => s.put(item));
  const dequeue = (key) => tx("readwrite", (s) => s.delete(key));

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function csrfToken() {
    const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function showQueue() {
    const items = await queued();
    $("visit-queue").hidden = items.length === 0;
    $("visit-queue-text").textContent = L.queued;
    $("visit-queue-count").textContent = fmt(L.queuedCount, { n: items.length });
    return items.length;
  }
  function showResult(kind, text, url) {
    const box = $("visit-result");
    box.className = "alert fc-visit-result alert-" + kind;
    box.replaceChildren(document.createTextNode(text));
    if (url) {
      const a = document.createElement("a"); a.href = url; a.className = "ms-2"; a.textContent = "→";
      box.append(a);
    }
    box.hidden = false;
  }

  // Send one queued visit: "sent", "kept" (try again later) or "refused" (with the errors).
  async function send(item, retried) {
    const body = new FormData();
    for (const [name, value] of Object.entries(item.fields)) body.append(name, value);
    body.append("idempotency_key", item.key);
    for (const f of item.files || []) body.append("photos", f.blob, f.name);
    let response;
    try {
      response = await fetch(config.postUrl, {
        method: "POST", body, credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
    } catch (_e) {
      return { outcome: "kept" };
    }
    if (response.type === "opaqueredirect") return { outcome: "login" };
    if (response.status === 403 && !retried) { // an old token: fetch the page once for a new cookie
      try { await fetch(config.postUrl, { credentials: "same-origin", cache: "no-store" }); } catch (_e) { return { outcome: "kept" }; }
      return send(item, true);
    }
    if (response.status === 200 || response.status === 201) {
      return { outcome: "sent", data: await response.json() };
    }
    if (response.status >= 500 || response.status === 0) return { outcome: "kept" };
    let errors = "";
    try {
      const data = await response.json();
      errors = Object.values(data.errors || {}).flat().map((e) => e.message || e).join(" ");
    } catch (_e) { errors = String(response.status); }
    return { outcome: "refused", errors };
  }

  let flushing = null, again = false;
  // Send the queue in order; returns each key's outcome. A flush asked for while one runs runs
  // again after it (so a visit queued meanwhile is not left for the next timer).
  async function flush() {
    if (flushing) { again = true; return flushing; }
    flushing = (async () => {
      const outcomes = {};
      try {
        do {
          again = false;
          for (const item of await queued()) {
            const result = await send(item);
            outcomes[item.key] = result.outcome;
            if (result.outcome === "kept") break;
            if (result.outcome === "login") { showResult("warning", L.loginAgain); break; }
            await dequeue(item.key);
            if (result.outcome === "sent") {
              const d = result.data;
              let text = d.created ? L.sent : L.sentAgain;
              if (d.distance_m !== null) text += " " + fmt(L.distance, { m: d.distance_m });
              if (d.is_far) text += " · " + fmt(L.far, { m: d.far_metres });
              showResult(d.is_far ? "warning" : "success", text, d.url);
            } else {
              showResult("danger", L.refused + " " + result.errors);
            }
          }
        } while (again);
      } finally {
        flushing = null;
        await showQueue();
      }
      return outcomes;
    })();
    return flushing;
  }

  function fields() {
    const out = {};
    for (const name of ["station", "visited_on", "purpose", "findings", "advice", "next_step",
      "follow_up_on", "lon", "lat", "accuracy_m"]) {
      out[name] = form.elements[name].value;
    }
    return out;
  }
  function resetForm() {
    for (const name of ["findings", "advice", "next_step", "follow_up_on"]) form.elements[name].value = "";
    $("id_photos").value = "";
    $("id_idempotency_key").value = newKey();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!$("id_station").value) { showResult("danger", L.noStation); search.focus(); return; }
    const key = $("id_idempotency_key").value || newKey();
    const files = [...$("id_photos").files].map((f) => ({ name: f.name, blob: f }));
    const button = $("visit-save");
    button.disabled = true;
    try {
      await enqueue({ key, fields: fields(), files, savedAt: new Date().toISOString() });
      showResult("info", L.sending);
      const outcomes = (await flush()) || {};
      // refused (e.g. a date in the future): nothing was stored, the form keeps what was typed;
      // otherwise the visit is on the server or on the phone, and the next one gets a new key
      if (outcomes[key] !== "refused") resetForm();
      // kept on the phone: the queue's banner says so (and how many wait)
      if (outcomes[key] !== "sent" && outcomes[key] !== "refused") $("visit-result").hidden = true;
    } finally {
      button.disabled = false;
    }
  });

  window.addEventListener("online", flush);
  setInterval(() => { if (navigator.onLine !== false) flush(); }, 20000);
  if (!$("id_idempotency_key").value) $("id_idempotency_key").value = newKey();
  flush();

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.swUrl, { scope: config.scope }).catch(() => {});
  }
})();
