// EdgeSync web console: the fleet page (devices, status filter, paging) and the device page (summary,
// recent commands, configuration), both reading the dispatcher's API with the operator (or viewer) token.
// The token comes from the login form or from the address's fragment (#token=...), is kept in
// sessionStorage only, and is sent as Authorization: Bearer. No framework, no CDN.
"use strict";

const TOKEN_KEY = "edgesync.operatorToken";

function takeToken() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path) {
  const res = await fetch(path, { headers: { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = body.error || {};
    if (res.status === 401 || res.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
    }
    throw new Error(res.status + " " + (e.code || "error") + ": " + (e.message || res.statusText));
  }
  return body;
}

function showError(err) {
  const p = document.getElementById("error");
  p.textContent = String(err.message || err);
  p.hidden = false;
  document.body.dataset.state = "error";
}

function cell(tr, text, cls) {
  const td = tr.insertCell();
  td.textContent = text == null ? "" : String(text);
  if (cls) td.className = cls;
  return td;
}

function statusCell(tr, status) {
  const span = document.createElement("span");
  span.className = "status status-" + status;
  span.textContent = status;
  tr.insertCell().appendChild(span);
}

function when(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC") : "never";
}

// ---- fleet page ----
const fleet = { cursors: [null], page: 0 };

async function loadFleet() {
  const status = document.getElementById("status").value;
  const limit = document.getElementById("limit").value;
  const q = new URLSearchParams({ limit });
  if (status) q.set("status", status);
  const after = fleet.cursors[fleet.page];
  if (after) q.set("after", after);
  document.body.dataset.state = "loading";
  try {
    const body = await api("/api/v1/devices?" + q);
    const tbody = document.querySelector("#devices tbody");
    tbody.replaceChildren();
    for (const d of body.devices) {
      const tr = tbody.insertRow();
      tr.dataset.deviceId = d.deviceId;
      const a = document.createElement("a");
      a.href = "device.html?id=" + encodeURIComponent(d.deviceId);
      a.textContent = d.deviceId;
      const td = tr.insertCell();
      td.className = "mono";
      td.appendChild(a);
      cell(tr, d.name);
      cell(tr, d.deviceType);
      statusCell(tr, d.status);
      cell(tr, when(d.lastSeenAt));
      cell(tr, d.agentVersion);
      cell(tr, d.pendingRecords);
    }
    fleet.cursors[fleet.page + 1] = body.nextAfter;
    document.getElementById("next").disabled = !body.nextAfter;
    document.getElementById("first").disabled = fleet.page === 0;
    document.getElementById("page-info").textContent = "page " + (fleet.page + 1) + ", "
      + body.devices.length + " devices" + (body.nextAfter ? "" : " (last page)");
    document.body.dataset.state = "loaded";
  } catch (e) {
    showError(e);
  }
}

function startFleet() {
  document.getElementById("fleet").hidden = false;
  // ?status= and ?limit= preselect the filter (links and bookmarks)
  const params = new URLSearchParams(location.search);
  for (const name of ["status", "limit"]) {
    const select = document.getElementById(name);
    if (params.has(name) && [...select.options].some(o => o.value === params.get(name))) {
      select.value = params.get(name);
    }
  }
  const reset = () => { fleet.cursors = [null]; fleet.page = 0; loadFleet(); };
  document.getElementById("status").addEventListener("change", reset);
  document.getElementById("limit").addEventListener("change", reset);
  document.getElementById("first").addEventListener("click", reset);
  document.getElementById("next").addEventListener("click", () => { fleet.page++; loadFleet(); });
  loadFleet();
}

// ---- device page ----
async function startDevice() {
  const id = new URLSearchParams(location.search).get("id");
  document.getElementById("device-id").textContent = id || "";
  document.getElementById("device").hidden = false;
  if (!id) {
    showError(new Error("no device id in the address (device.html?id=...)"));
    return;
  }
  const path = "/api/v1/devices/" + encodeURIComponent(id);
  document.body.dataset.state = "loading";
  try {
    const [device, commands, config] = await Promise.all([
      api(path), api(path + "/commands?limit=50"), api(path + "/config")]);
    const dl = document.getElementById("summary");
    dl.replaceChildren();
    for (const [k, v] of [["Name", device.name], ["Type", device.deviceType], ["Status", device.status],
      ["Last seen", when(device.lastSeenAt)], ["Location", device.location], ["Agent", device.agentVersion],
      ["Token", device.tokenStatus + " (version " + device.tokenVersion + ")"],
      ["Pending records", device.pendingRecords]]) {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v == null ? "" : String(v);
      dl.append(dt, dd);
    }
    const ctbody = document.querySelector("#commands tbody");
    ctbody.replaceChildren();
    for (const c of commands.commands.slice().reverse()) {
      const tr = ctbody.insertRow();
      tr.dataset.commandId = c.commandId;
      cell(tr, when(c.createdAt));
      cell(tr, c.commandType, "mono");
      statusCell(tr, c.status);
      cell(tr, c.groupId, "mono");
      cell(tr, c.completedAt ? when(c.completedAt) : "");
    }
    const ktbody = document.querySelector("#config tbody");
    ktbody.replaceChildren();
    for (const e of config.entries) {
      const tr = ktbody.insertRow();
      tr.dataset.key = e.key;
      cell(tr, e.key, "mono");
      cell(tr, JSON.stringify(e.value), "mono");
      cell(tr, e.version);
      cell(tr, e.applied ? "yes" : "no");
      cell(tr, when(e.updatedAt));
    }
    document.getElementById("config-sync").textContent = "(desired version " + config.desiredVersion
      + ", reported " + (config.reportedVersion == null ? "none" : config.reportedVersion) + ")";
    document.body.dataset.state = "loaded";
  } catch (e) {
    showError(e);
  }
}

function start() {
  const page = document.body.dataset.page === "device" ? startDevice : startFleet;
  if (takeToken()) {
    page();
    return;
  }
  const form = document.getElementById("login");
  form.hidden = false;
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token-input").value);
    form.hidden = true;
    page();
  });
}

start();
