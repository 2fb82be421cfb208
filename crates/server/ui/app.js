// warden web UI: incidents dashboard, incident page, chat, IAM policy
// portal. Plain JavaScript, no build step. Everything from the server is
// put on the page as text (textContent), never as HTML, so a log line
// cannot become markup or script; the Content-Security-Policy forbids
// inline script as a second wall.
"use strict";

const LEVELS = ["critical", "high", "medium", "low"];
const COLORS = { critical: "#a4161a", high: "#d9480f", medium: "#b7791f", low: "#2b6cb0" };
const state = { me: null, csrf: null, lang: "en" };

// ---------- helpers ----------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  for (const c of children.flat()) if (c) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function t(key, vars) {
  const dict = window.WARDEN_I18N[state.lang] || window.WARDEN_I18N.en;
  let s = dict[key] ?? window.WARDEN_I18N.en[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace("{" + k + "}", v);
  return s;
}

function fmtTime(ms) {
  if (ms === null || ms === undefined) return "";
  const d = new Date(ms);
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z").replace(/:\d\dZ$/, "Z");
}

function badge(level) {
  const known = window.WARDEN_I18N.en["level." + level] !== undefined;
  return el("span", { class: "badge " + level, text: known ? t("level." + level) : level });
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path, opts = {}) {
  const headers = Object.assign({ "Accept": "application/json" }, opts.headers || {});
  const init = { method: opts.method || "GET", headers, credentials: "same-origin" };
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  if (init.method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  const r = await fetch(path, init);
  if (r.status === 401 && path !== "/api/login") {
    const was = state.me;
    state.me = null;
    showLogin(was ? t("err.session") : "");
    throw new ApiError(401, t("err.session"));
  }
  if (opts.raw) return r;
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = { error: text }; }
  if (!r.ok) throw new ApiError(r.status, (data && data.error) || r.statusText);
  return data;
}

function errorBox(e) {
  return el("p", { class: "error", role: "alert", text: t("err.generic", { m: e.message || String(e) }) });
}

function setPage(title, ...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  document.title = title + " · warden";
  for (const a of document.querySelectorAll("#nav a")) {
    const current = location.hash.startsWith(a.getAttribute("href")) ||
      (a.getAttribute("href") === "#/incidents" && location.hash.startsWith("#/incident/"));
    if (current) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
}

function applyStaticText() {
  document.documentElement.lang = state.lang;
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.dataset.t);
}

// A JSON value as coloured text (spans with textContent only).
function jsonView(value) {
  const out = [];
  const walk = (v, indent) => {
    const pad = "  ".repeat(indent);
    if (Array.isArray(v)) {
      if (!v.length) { out.push("[]"); return; }
      out.push("[\n");
      v.forEach((x, i) => { out.push(pad + "  "); walk(x, indent + 1); out.push(i < v.length - 1 ? ",\n" : "\n"); });
      out.push(pad + "]");
    } else if (v && typeof v === "object") {
      const keys = Object.keys(v);
      if (!keys.length) { out.push("{}"); return; }
      out.push("{\n");
      keys.forEach((k, i) => {
        out.push(pad + "  ", el("span", { class: "k", text: JSON.stringify(k) }), ": ");
        walk(v[k], indent + 1);
        out.push(i < keys.length - 1 ? ",\n" : "\n");
      });
      out.push(pad + "}");
    } else if (typeof v === "string") out.push(el("span", { class: "s", text: JSON.stringify(v) }));
    else if (typeof v === "number") out.push(el("span", { class: "n", text: String(v) }));
    else out.push(el("span", { class: "b", text: String(v) }));
  };
  walk(value, 0);
  return out;
}

async function openEvent(uid) {
  const dlg = document.getElementById("viewer");
  document.getElementById("viewer-title").textContent = uid;
  const body = document.getElementById("viewer-body");
  body.replaceChildren("…");
  if (!dlg.open) dlg.showModal();
  try {
    const r = await api("/api/events/" + encodeURIComponent(uid));
    body.replaceChildren(...jsonView(r.event));
  } catch (e) {
    body.replaceChildren(errorBox(e));
  }
  body.focus();
}

// ---------- sign-in ----------

function showLogin(message) {
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("who").textContent = "";
  const user = el("input", { id: "login-user", name: "username", autocomplete: "username", required: true });
  const pass = el("input", { id: "login-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const msg = el("div", { "aria-live": "assertive" }, message ? el("p", { class: "error", text: message }) : null);
  const submit = el("button", { type: "submit", text: t("login.submit") });
  const form = el("form", {
    onsubmit: async (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      try {
        const r = await api("/api/login", { method: "POST", body: { user: user.value, password: pass.value } });
        state.me = { user: r.user, role: r.role };
        state.csrf = r.csrf;
        signedIn();
        if (!location.hash || location.hash === "#/login") location.hash = "#/incidents"; else route();
      } catch (e) {
        msg.replaceChildren(el("p", { class: "error", role: "alert", text: e.status === 401 ? t("login.failed") : e.message }));
        submit.disabled = false;
        pass.select();
      }
    },
  },
  el("label", { for: "login-user" }, t("login.user"), user),
  el("label", { for: "login-password" }, t("login.password"), pass),
  submit, msg);
  setPage(t("login.title"), el("section", { class: "login panel" }, el("h1", { text: t("login.title") }), form,
    el("p", { class: "note", text: t("login.help") })));
  user.focus();
}

function signedIn() {
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  document.getElementById("who").textContent = state.me.user + " (" + state.me.role + ")";
}

// ---------- incidents dashboard ----------

function params() {
  const q = location.hash.split("?")[1] || "";
  return new URLSearchParams(q);
}

function countBy(items, key) {
  const m = new Map();
  for (const it of items) for (const k of [].concat(key(it) || [])) m.set(k, (m.get(k) || 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
}

function chart(incidents) {
  const times = incidents.map((i) => i.first_ms).filter((x) => x !== null && x !== undefined);
  const wrap = el("figure", { class: "chart panel" }, el("figcaption", { text: t("inc.chart") }));
  if (!times.length) return wrap;
  const min = Math.min(...times), max = Math.max(...times);
  const span = max - min;
  const step = span <= 2 * 86400e3 ? 3600e3 : span <= 62 * 86400e3 ? 86400e3 : 7 * 86400e3;
  const start = Math.floor(min / step) * step;
  const n = Math.max(1, Math.floor((max - start) / step) + 1);
  const buckets = Array.from({ length: n }, () => ({ critical: 0, high: 0, medium: 0, low: 0 }));
  for (const i of incidents) {
    if (i.first_ms === null || i.first_ms === undefined) continue;
    const b = buckets[Math.floor((i.first_ms - start) / step)];
    if (b && b[i.threat_level] !== undefined) b[i.threat_level] += 1;
  }
  const peak = Math.max(1, ...buckets.map((b) => LEVELS.reduce((s, l) => s + b[l], 0)));
  const W = 800, H = 220, padL = 34, padB = 28, bw = (W - padL) / n;
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": t("inc.chart") + ": " + LEVELS.map((l) => t("level." + l) + " " + incidents.filter((i) => i.threat_level === l).length).join(", ") });
  const tick = Math.max(1, Math.ceil(peak / 4));
  const top = tick * Math.ceil(peak / tick);
  for (let v = 0; v <= top; v += tick) {
    const yy = H - padB - ((H - padB - 10) * v) / top;
    g.append(svg("line", { x1: padL, x2: W, y1: yy, y2: yy, stroke: "currentColor", "stroke-opacity": 0.12 }));
    g.append(svg("text", { x: padL - 6, y: yy + 4, "text-anchor": "end", "font-size": 11, fill: "currentColor" }, String(v)));
  }
  buckets.forEach((b, k) => {
    let y = H - padB;
    for (const l of ["low", "medium", "high", "critical"]) {
      if (!b[l]) continue;
      const h = ((H - padB - 10) * b[l]) / top;
      y -= h;
      g.append(svg("rect", { x: padL + k * bw + 1, y, width: Math.max(1, bw - 2), height: h, fill: COLORS[l] },
        svg("title", {}, `${fmtTime(start + k * step)} · ${t("level." + l)}: ${b[l]}`)));
    }
    const every = Math.ceil(n / 8);
    if (k % every === 0) {
      const d = new Date(start + k * step).toISOString();
      const label = step < 86400e3 ? d.slice(11, 16) : d.slice(5, 10);
      g.append(svg("text", { x: padL + k * bw + bw / 2, y: H - 8, "text-anchor": "middle", "font-size": 11, fill: "currentColor" }, label));
    }
  });
  wrap.append(g, el("div", { class: "legend" }, LEVELS.map((l) =>
    el("span", {}, el("span", { class: "swatch " + l }), t("level." + l)))));
  return wrap;
}

async function incidentsPage() {
  const p = params();
  const minLevel = p.get("min_level") || "";
  const text = p.get("q") || "";
  const q = new URLSearchParams({ limit: "1000", fields: "full" });
  if (minLevel) q.set("min_level", minLevel);
  for (const k of ["since", "until"]) if (p.get(k)) q.set(k, p.get(k) + (p.get(k).length === 10 ? "T00:00:00Z" : ""));
  setPage(t("inc.title"), el("h1", { text: t("inc.title") }), el("p", { text: "…" }));
  let rows;
  try {
    rows = (await api("/api/incidents?" + q)).incidents;
  } catch (e) {
    if (e.status !== 401) setPage(t("inc.title"), el("h1", { text: t("inc.title") }), errorBox(e));
    return;
  }
  const needle = text.toLowerCase();
  const principal = p.get("principal"), source = p.get("source"), rule = p.get("rule");
  const shown = rows.filter((r) =>
    (!needle || (r.title + " " + (r.principal || "")).toLowerCase().includes(needle)) &&
    (!principal || r.principal === principal) &&
    (!source || (r.sources || []).includes(source)) &&
    (!rule || r.rules.some(([, title]) => title === rule)));

  const go = (changes) => {
    const np = params();
    for (const [k, v] of Object.entries(changes)) { if (v) np.set(k, v); else np.delete(k); }
    location.hash = "#/incidents?" + np;
  };
  const level = el("select", { id: "f-level" }, el("option", { value: "", text: t("level.all") }),
    LEVELS.slice().reverse().map((l) => el("option", { value: l, selected: l === minLevel, text: t("level." + l) + "+" })));
  const since = el("input", { id: "f-since", type: "date", value: p.get("since") || "" });
  const until = el("input", { id: "f-until", type: "date", value: p.get("until") || "" });
  const filt = el("input", { id: "f-text", type: "search", value: text });
  const filters = el("form", { class: "filters panel", role: "search", onsubmit: (ev) => {
    ev.preventDefault();
    go({ min_level: level.value, since: since.value, until: until.value, q: filt.value.trim() });
  } },
  el("label", { for: "f-level" }, t("inc.min_level"), level),
  el("label", { for: "f-since" }, t("inc.since"), since),
  el("label", { for: "f-until" }, t("inc.until"), until),
  el("label", { for: "f-text" }, t("inc.filter_text"), filt),
  el("button", { type: "submit", text: t("inc.apply") }),
  el("button", { type: "button", class: "secondary", text: t("inc.clear"), onclick: () => { location.hash = "#/incidents"; } }));

  const cards = el("div", { class: "cards" }, LEVELS.map((l) =>
    el("div", { class: "card " + l }, el("div", { class: "n", text: String(shown.filter((r) => r.threat_level === l).length) }), t("level." + l))));

  const topList = (title, items, key) => el("section", { class: "panel" }, el("h2", { text: title }),
    items.length ? el("ol", { class: "top-list" }, items.map(([k, n]) =>
      el("li", {}, el("button", { class: "link", type: "button", text: k, onclick: () => go({ [key]: k }) }), el("span", { text: String(n) })))) : el("p", { class: "note", text: "—" }));

  const table = shown.length ? el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: t("inc.col.level") }), el("th", { scope: "col", text: t("inc.col.title") }),
      el("th", { scope: "col", class: "opt", text: t("inc.col.principal") }), el("th", { scope: "col", class: "opt", text: t("inc.col.first") }),
      el("th", { scope: "col", class: "opt", text: t("inc.col.last") }), el("th", { scope: "col", class: "opt", text: t("inc.col.rules") }))),
    el("tbody", {}, shown.map((r) => el("tr", {},
      el("td", {}, badge(r.threat_level)),
      el("td", {}, el("a", { href: "#/incident/" + encodeURIComponent(r.id), text: r.title })),
      el("td", { class: "mono opt", text: r.principal || "" }),
      el("td", { class: "opt", text: fmtTime(r.first_ms) }),
      el("td", { class: "opt", text: fmtTime(r.last_ms) }),
      el("td", { class: "opt", text: String(r.rules.length) })))))) : el("p", { class: "note", text: t("inc.none") });

  setPage(t("inc.title"),
    el("h1", { text: t("inc.title") }),
    filters,
    (principal || source || rule) ? el("p", { class: "chips" }, [["principal", principal], ["source", source], ["rule", rule]]
      .filter(([, v]) => v).map(([k, v]) => el("button", { class: "chip secondary", type: "button", text: v + " ✕", "aria-label": "remove filter " + v, onclick: () => go({ [k]: "" }) }))) : null,
    cards,
    chart(shown),
    el("div", { class: "grid" },
      topList(t("inc.top_principals"), countBy(shown, (r) => r.principal), "principal"),
      topList(t("inc.top_sources"), countBy(shown, (r) => r.sources), "source"),
      topList(t("inc.top_rules"), countBy(shown, (r) => r.rules.map(([, title]) => title)), "rule")),
    el("h2", { text: t("inc.shown", { n: shown.length }) }),
    table);
}

// ---------- incident page ----------

async function incidentPage(id) {
  setPage(id, el("p", { text: "…" }));
  let r;
  try {
    r = await api("/api/incidents/" + encodeURIComponent(id));
  } catch (e) {
    if (e.status !== 401) setPage(id, el("p", {}, el("a", { href: "#/incidents", text: "← " + t("det.back") })), errorBox(e));
    return;
  }
  const row = r.incident, d = r.detail || {};
  const uidFor = (eventId) => row.evidence.find((u) => u === eventId || u.endsWith(":" + eventId)) || eventId;
  const facts = [
    [t("det.account"), row.account], [t("det.principal"), row.principal],
    [t("det.window"), fmtTime(row.first_ms) + " – " + fmtTime(row.last_ms)],
    [t("det.ips"), (d.source_ips || []).join(", ")], [t("det.keys"), (d.access_keys || []).join(", ")],
    [t("det.regions"), (d.regions || []).join(", ")], [t("det.sources"), (d.sources || []).join(", ")],
  ].filter(([, v]) => v && v.trim && v.trim() !== "–");
  const alerts = (d.alerts || []).slice().sort((a, b) => String(a.event_time).localeCompare(String(b.event_time)));
  const attack = (tech) => "https://attack.mitre.org/techniques/" + tech.replace(".", "/") + "/";
  const ROLES = ["viewer", "analyst", "approver", "admin"];
  const mayAck = ROLES.indexOf(state.me.role) >= 1;
  const ackLine = r.acknowledged
    ? el("p", { class: "note", id: "ack-state", text: t("det.acked_by", { who: r.acknowledged.by, when: fmtTime(r.acknowledged.time_ms) }) })
    : mayAck ? el("p", {}, el("button", { type: "button", id: "ack", class: "secondary", text: t("det.ack"), onclick: async (ev) => {
        ev.target.disabled = true;
        try { await api("/api/incidents/" + encodeURIComponent(row.id) + "/ack", { method: "POST" }); incidentPage(id); }
        catch (e) { ev.target.replaceWith(errorBox(e)); }
      } })) : null;
  setPage(row.title,
    el("p", {}, el("a", { href: "#/incidents", text: "← " + t("det.back") })),
    el("h1", {}, badge(row.threat_level), " ", row.title),
    ackLine,
    el("div", { class: "grid" },
      el("section", { class: "panel" }, el("h2", { text: t("det.narrative") }), el("p", { text: d.summary || row.summary }),
        d.threat_reason ? el("p", { class: "note" }, el("strong", { text: t("det.why_level") + ": " }), d.threat_reason) : null,
        el("p", {}, el("a", { class: "button", href: "#/chat?q=" + encodeURIComponent("explain incident " + row.id), text: t("det.ask") }))),
      el("section", { class: "panel" }, el("dl", {}, facts.map(([k, v]) => [el("dt", { class: "note", text: k }), el("dd", { class: "mono", text: v })])))),
    el("section", { class: "panel" }, el("h2", { text: t("det.actions") }),
      el("ol", {}, (d.recommended_actions || []).map((a) => el("li", { text: a })))),
    el("section", { class: "panel" }, el("h2", { text: t("det.techniques") }),
      el("div", { class: "chips" }, (d.techniques || []).map((x) => el("a", { class: "chip", href: attack(x), target: "_blank", rel: "noopener noreferrer", text: x }))),
      (d.tactics || []).length ? el("p", { class: "note", text: t("det.tactics") + ": " + d.tactics.join(", ") }) : null),
    el("section", { class: "panel" }, el("h2", { text: t("det.timeline") }),
      el("ol", { class: "timeline" }, alerts.map((a) => el("li", { class: a.level },
        el("span", { class: "mono", text: String(a.event_time || "") }), " ", badge(a.level), " ", el("strong", { text: a.rule_title }),
        el("div", { class: "note" }, [a.event_name, a.principal, a.source_ip].filter(Boolean).join(" · "), " ",
          el("button", { class: "link", type: "button", text: t("det.view_json"), onclick: () => openEvent(uidFor(a.event_id)) })))))),
    el("section", { class: "panel" }, el("h2", { text: t("det.evidence") + " (" + row.evidence.length + ")" }),
      el("ul", { class: "plain" }, row.evidence.map((u) => el("li", {},
        el("button", { class: "link mono", type: "button", text: u, onclick: () => openEvent(u) }))))));
}

// ---------- approvals ----------

// Remediations waiting for a decision (the image guard's quarantine or
// delete), and recent decisions with their outcomes. Approvers decide
// here; `warden run` carries approved ones out.
async function approvalsPage() {
  setPage(t("apr.title"), el("p", { text: "…" }));
  let r;
  try {
    r = await api("/api/approvals?pending=false&limit=200");
  } catch (e) {
    if (e.status !== 401) setPage(t("apr.title"), el("h1", { text: t("apr.title") }), errorBox(e));
    return;
  }
  const ROLES = ["viewer", "analyst", "approver", "admin"];
  const mayDecide = ROLES.indexOf(state.me.role) >= 2;
  const rows = r.approvals || [];
  const pending = rows.filter((a) => a.state === "pending");
  const decided = rows.filter((a) => a.state !== "pending");
  const decide = (a, verdict) => async (ev) => {
    for (const b of ev.target.parentElement.querySelectorAll("button")) b.disabled = true;
    try {
      await api("/api/approvals/" + encodeURIComponent(a.id) + "/" + verdict, { method: "POST" });
      approvalsPage();
    } catch (e) { ev.target.parentElement.append(errorBox(e)); }
  };
  const table = (list, withButtons) => el("table", {},
    el("thead", {}, el("tr", {}, [t("apr.id"), t("apr.action"), t("apr.target"), t("apr.reason"), t("apr.requested"),
      withButtons ? t("apr.decide") : t("apr.decision")].map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, list.map((a) => el("tr", {},
      el("td", { class: "mono" }, a.incident_id
        ? el("a", { href: "#/incident/" + encodeURIComponent(a.incident_id), text: a.id }) : a.id),
      el("td", { text: a.action }),
      el("td", { class: "mono", text: a.target }),
      el("td", {}, a.reason, a.outcome ? el("div", { class: "note", text: t("apr.last", { o: a.outcome }) }) : null),
      el("td", { text: fmtTime(a.requested_ms) }),
      withButtons
        ? el("td", { class: "actions" }, mayDecide
          ? [el("button", { type: "button", class: "approve", text: t("apr.approve"), onclick: decide(a, "approve") }), " ",
             el("button", { type: "button", class: "secondary", text: t("apr.reject"), onclick: decide(a, "reject") })]
          : el("span", { class: "note", text: t("apr.need_role") }))
        : el("td", { text: t("apr.by", { state: a.state, who: a.decided_by || "?", when: fmtTime(a.decided_ms) }) })))));
  setPage(t("apr.title"),
    el("h1", { text: t("apr.title") }),
    el("p", { class: "note", text: t("apr.help") }),
    el("h2", { text: t("apr.pending", { n: pending.length }) }),
    pending.length ? table(pending, true) : el("p", { id: "apr-none", text: t("apr.none") }),
    decided.length ? [el("h2", { text: t("apr.recent") }), table(decided, false)] : null);
}

// ---------- chat ----------

function threads() {
  try { return JSON.parse(localStorage.getItem("warden.threads") || "[]"); } catch (_) { return []; }
}
function saveThreads(list) { localStorage.setItem("warden.threads", JSON.stringify(list.slice(0, 30))); }

function answerView(turn) {
  const box = el("div", { class: "msg a", lang: turn.language || state.lang });
  const cites = new Map((turn.citations || []).map((c) => [c.label, c]));
  const open = (c) => c.kind === "incident" ? (location.hash = "#/incident/" + encodeURIComponent(c.id)) : openEvent(c.id);
  const para = el("p", {});
  for (const s of turn.sentences || []) {
    para.append(s.text.replace(/\s*\[[EI]\d+\](\s*\[[EI]\d+\])*/g, ""), " ");
    for (const label of s.cites || []) {
      const c = cites.get(label);
      if (c) para.append(el("button", { class: "cite", type: "button", title: c.description, "aria-label": label + ": " + c.description, text: label, onclick: () => open(c) }));
    }
    para.append(" ");
  }
  box.append(para);
  if (turn.found === false && !(turn.sentences || []).length) box.append(el("p", { class: "note", text: t("chat.not_found") }));
  if ((turn.citations || []).length && turn.done) {
    box.append(el("ol", { class: "sources", "aria-label": t("chat.sources") }, turn.citations.map((c) =>
      el("li", {}, el("button", { class: "link", type: "button", text: c.label, onclick: () => open(c) }), " ", c.description))));
  }
  return box;
}

// Read a server-sent event stream from a fetch response.
async function* sse(response) {
  const reader = response.body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += dec.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i); buf = buf.slice(i + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      try { yield [name, JSON.parse(data)]; } catch (_) { /* keep-alive or partial */ }
    }
  }
}

function chatPage() {
  const p = params();
  let list = threads();
  let current = p.get("thread") || (list[0] && list[0].id);
  const newThread = () => {
    const id = "t" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
    list.unshift({ id, title: "…", turns: [] });
    saveThreads(list);
    return id;
  };
  if (!current || !list.find((x) => x.id === current)) current = newThread();
  const thread = () => list.find((x) => x.id === current);

  const messages = el("div", { class: "messages", "aria-live": "polite" });
  const render = () => {
    messages.replaceChildren();
    const th = thread();
    if (!th.turns.length) messages.append(el("p", { class: "note", text: t("chat.empty") }));
    for (const turn of th.turns) messages.append(el("div", { class: "msg q", text: turn.question }), answerView(turn));
  };
  const input = el("textarea", { id: "question", rows: 2, maxlength: 8000, placeholder: t("chat.placeholder"), "aria-label": t("chat.placeholder") });
  const send = el("button", { type: "submit", text: t("chat.send") });
  const ask = async () => {
    const question = input.value.trim();
    if (!question) return;
    send.disabled = true;
    input.value = "";
    const th = thread();
    const turn = { question, sentences: [], citations: [], done: false };
    th.turns.push(turn);
    if (th.title === "…") th.title = question.slice(0, 60);
    saveThreads(list);
    messages.querySelector(".note")?.remove();
    const qEl = el("div", { class: "msg q", text: question });
    let aEl = el("div", { class: "msg a" }, el("p", { class: "note", text: t("chat.thinking") }));
    messages.append(qEl, aEl);
    try {
      const r = await api("/api/ask", { method: "POST", body: { question, thread: current }, headers: { Accept: "text/event-stream" }, raw: true });
      if (!r.ok) {
        const data = await r.json().catch(() => ({}));
        throw new ApiError(r.status, data.error || r.statusText);
      }
      for await (const [name, data] of sse(r)) {
        if (name === "sentence") turn.sentences.push(data);
        else if (name === "citations") turn.citations = data;
        else if (name === "done") { turn.done = true; turn.found = data.found; turn.language = data.language; }
        const next = answerView(turn);
        aEl.replaceWith(next);
        aEl = next;
      }
      turn.done = true;
      const last = answerView(turn);
      aEl.replaceWith(last);
    } catch (e) {
      th.turns.pop();
      aEl.replaceWith(errorBox(e));
    }
    saveThreads(list);
    renderThreads();
    send.disabled = false;
    input.focus();
  };
  const form = el("form", { class: "ask-form", onsubmit: (ev) => { ev.preventDefault(); ask(); } }, input, send);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) { ev.preventDefault(); ask(); }
  });
  const side = el("nav", { class: "threads", "aria-label": t("chat.threads") });
  const renderThreads = () => {
    side.replaceChildren(el("button", { type: "button", class: "secondary", text: "+ " + t("chat.new"), onclick: () => {
      current = newThread(); list = threads(); location.hash = "#/chat?thread=" + current;
    } }), ...list.map((th) => el("button", { type: "button", class: "link", "aria-current": th.id === current ? "true" : "false", text: th.title,
      onclick: () => { location.hash = "#/chat?thread=" + th.id; } })));
  };
  renderThreads();
  render();
  setPage(t("chat.title"), el("h1", { text: t("chat.title") }), el("div", { class: "chat" }, side, el("section", {}, messages, form)));
  const preset = p.get("q");
  if (preset) { input.value = preset; history.replaceState(null, "", "#/chat?thread=" + current); ask(); } else input.focus();
}

// ---------- IAM policy portal ----------

function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

// Line diff (longest common subsequence); policies are small.
function diffLines(a, b) {
  const n = a.length, m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--)
    dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push([" ", a[i]]); i++; j++; }
    else if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) { out.push(["+", b[j]]); j++; }
    else { out.push(["-", a[i]]); i++; }
  }
  return out;
}

function codeView(lines, marks) {
  return el("div", { class: "code", tabindex: "0" }, lines.map((line, k) => {
    const m = marks ? marks(k + 1) : null;
    return el("div", { class: "line" + (m ? " " + m : ""), id: "pl-" + (k + 1) }, el("span", { class: "ln", text: String(k + 1) }), el("span", { text: line || " " }));
  }));
}

function gauge(score) {
  const s = Math.max(1, Math.min(10, Number(score) || 1));
  const color = s >= 8 ? "var(--ok)" : s >= 5 ? "var(--medium)" : "var(--critical)";
  const angle = Math.PI * (1 - (s - 1) / 9);
  const x = 80 + 64 * Math.cos(angle), y = 84 - 64 * Math.sin(angle);
  return el("div", { class: "gauge", role: "img", "aria-label": t("pol.score") + " " + s + " " + t("pol.of10") },
    svg("svg", { viewBox: "0 0 160 96", "aria-hidden": "true" },
      svg("path", { d: "M16 84 A64 64 0 0 1 144 84", fill: "none", stroke: "currentColor", "stroke-opacity": 0.15, "stroke-width": 14 }),
      svg("path", { d: `M16 84 A64 64 0 0 1 ${x.toFixed(1)} ${y.toFixed(1)}`, fill: "none", stroke: color, "stroke-width": 14 })),
    el("div", {}, el("div", { class: "score", text: s + " " + t("pol.of10") }), el("div", { class: "note", text: t("pol.score") })));
}

function copyButton(getText) {
  const b = el("button", { type: "button", class: "secondary", text: t("pol.copy") });
  b.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(getText()); } catch (_) {
      const ta = el("textarea", {}); ta.value = getText(); document.body.append(ta); ta.select(); document.execCommand("copy"); ta.remove();
    }
    b.textContent = t("pol.copied");
    setTimeout(() => { b.textContent = t("pol.copy"); }, 1500);
  });
  return b;
}

function reportView(report, lines) {
  const findings = report.findings || [];
  const byLine = new Map();
  for (const f of findings) if (f.line) byLine.set(f.line, f);
  const code = lines ? codeView(lines, (ln) => (byLine.has(ln) ? "hit" : null)) : null;
  const jump = (f) => {
    const target = document.getElementById("pl-" + f.line);
    if (target) { target.scrollIntoView({ block: "center" }); target.animate([{ opacity: 0.3 }, { opacity: 1 }], 600); }
  };
  return el("div", { class: "report" },
    gauge(report.score),
    el("h2", { text: t("pol.findings") + " (" + findings.length + ")" }),
    findings.length ? el("ul", { class: "findings plain" }, findings.map((f) => el("li", {},
      badge(f.severity), " ", el("code", { text: f.code }), " ", f.message,
      f.line ? [" ", el("button", { class: "link", type: "button", text: t("pol.line") + " " + f.line, onclick: () => jump(f) })] : null,
      f.detail ? el("div", { class: "note", text: f.detail }) : null))) : el("p", { class: "note", text: t("pol.no_findings") }),
    (report.escalation_paths || []).length ? [el("h2", { text: t("pol.escalation") }),
      el("ul", {}, report.escalation_paths.map((p) => el("li", { text: typeof p === "string" ? p : (p.name || p.id || "") + (p.description ? ": " + p.description : "") })))] : null,
    code ? [el("h2", { text: t("pol.policy") }), code] : null);
}

function policyPage() {
  const area = el("textarea", { id: "policy-text", rows: 14, spellcheck: "false", "aria-label": t("pol.paste") });
  area.value = sessionStorage.getItem("warden.policy") || "";
  const file = el("input", { id: "policy-file", type: "file", accept: ".json,application/json" });
  file.addEventListener("change", async () => { if (file.files[0]) area.value = await file.files[0].text(); });
  const out = el("div", { "aria-live": "polite" });
  const check = el("button", { type: "button", id: "policy-check", text: t("pol.check") });
  const fixBtn = el("button", { type: "button", id: "policy-fix", class: "secondary", text: t("pol.fix") });
  const body = () => ({ policy: area.value });
  check.addEventListener("click", async () => {
    sessionStorage.setItem("warden.policy", area.value);
    check.disabled = true;
    try {
      const r = await api("/api/policy/check", { method: "POST", body: body() });
      out.replaceChildren(el("section", { class: "panel" }, reportView(r, area.value.split("\n"))));
    } catch (e) { out.replaceChildren(errorBox(e)); }
    check.disabled = false;
  });
  fixBtn.addEventListener("click", async () => {
    fixBtn.disabled = true;
    try {
      const r = await api("/api/policy/fix", { method: "POST", body: body() });
      let before;
      try { before = JSON.stringify(canonical(JSON.parse(area.value)), null, 2).split("\n"); } catch (_) { before = area.value.split("\n"); }
      const after = JSON.stringify(canonical(r.policy), null, 2);
      const d = diffLines(before, after.split("\n"));
      const lines = d.map(([op, l]) => (op === " " ? "  " : op + " ") + l);
      out.replaceChildren(el("section", { class: "panel" },
        el("h2", { text: t("pol.diff") }),
        el("p", { class: "row" }, r.score_before ? el("span", { text: t("pol.score") + ": " + r.score_before + " → " + (r.report ? r.report.score : "?") }) : null,
          copyButton(() => after)),
        el("div", { class: "code diff", tabindex: "0" }, d.map(([op, l], k) => el("div", { class: "line" + (op === "+" ? " add" : op === "-" ? " del" : "") },
          el("span", { class: "ln", text: String(k + 1) }), el("span", { text: lines[k].slice(2) || " " })))),
        el("h2", { text: t("pol.changes") }),
        r.changes.length ? el("ul", {}, r.changes.map((c) => el("li", { text: c }))) : el("p", { class: "note", text: t("pol.no_changes") })));
    } catch (e) { out.replaceChildren(errorBox(e)); }
    fixBtn.disabled = false;
  });

  const desc = el("textarea", { id: "policy-describe", rows: 3, placeholder: t("pol.describe_hint"), "aria-label": t("pol.describe") });
  const who = el("input", { id: "policy-user", type: "text", placeholder: "upload-api-role" });
  const genOut = el("div", { "aria-live": "polite" });
  const gen = el("button", { type: "button", id: "policy-generate", text: t("pol.generate_btn") });
  gen.addEventListener("click", async () => {
    gen.disabled = true;
    const req = who.value.trim() && !desc.value.trim() ? { user: who.value.trim() } : { description: desc.value };
    try {
      const r = await api("/api/policy/generate", { method: "POST", body: req });
      genOut.replaceChildren(el("section", { class: "panel" },
        el("h2", { text: t("pol.generated") }),
        el("ul", { class: "note" }, r.notes.map((n) => el("li", { text: n })), r.unmatched.map((u) => el("li", { text: "? " + u }))),
        el("p", { class: "row" }, copyButton(() => r.text),
          el("button", { type: "button", class: "secondary", text: t("pol.check"), onclick: () => { area.value = r.text; check.click(); area.scrollIntoView(); } })),
        r.report ? reportView(r.report, r.text.split("\n")) : codeView(r.text.split("\n"))));
    } catch (e) { genOut.replaceChildren(errorBox(e)); }
    gen.disabled = false;
  });

  setPage(t("pol.title"),
    el("h1", { text: t("pol.title") }),
    el("section", { class: "panel" },
      el("label", { for: "policy-text", class: "block" }, t("pol.paste")), area,
      el("p", { class: "row" }, el("label", { for: "policy-file" }, t("pol.upload"), file), check, fixBtn)),
    out,
    el("section", { class: "panel" },
      el("h2", { text: t("pol.generate") }),
      el("label", { for: "policy-describe" }, t("pol.describe")), desc,
      el("p", { class: "row" }, el("label", { for: "policy-user" }, t("pol.from_user"), who), gen)),
    genOut);
}

// ---------- routing ----------

async function route() {
  applyStaticText();
  if (!state.me) {
    try {
      const s = await api("/api/session");
      state.me = { user: s.user, role: s.role };
      state.csrf = s.csrf;
      signedIn();
    } catch (e) {
      if (e.status !== 401) showLogin(e.message);
      return;
    }
  }
  const h = location.hash || "#/incidents";
  if (h.startsWith("#/incident/")) return incidentPage(decodeURIComponent(h.slice(11).split("?")[0]));
  if (h.startsWith("#/chat")) return chatPage();
  if (h.startsWith("#/policy")) return policyPage();
  if (h.startsWith("#/approvals")) return approvalsPage();
  return incidentsPage();
}

function init() {
  const saved = localStorage.getItem("warden.lang");
  const nav = (navigator.language || "en").slice(0, 2);
  state.lang = saved || (["ko", "ja"].includes(nav) ? nav : "en");
  const lang = document.getElementById("lang");
  lang.value = state.lang;
  lang.addEventListener("change", () => { state.lang = lang.value; localStorage.setItem("warden.lang", state.lang); route(); });
  document.getElementById("viewer-close").addEventListener("click", () => document.getElementById("viewer").close());
  document.getElementById("logout").addEventListener("click", async () => {
    try { await api("/api/logout", { method: "POST" }); } catch (_) { /* signed out either way */ }
    state.me = null; state.csrf = null;
    showLogin();
  });
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", init);
