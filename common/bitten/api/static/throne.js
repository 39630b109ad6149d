// Commander Throne: the flow of the last hour or day, latency per hop, terminals, Telegram,
// VENOM live vs backtest, trader search with each mission's trace and logs; refreshed every
// 7 s. A panel whose route answers an error shows that error; the rest of the page goes on.
"use strict";

const B = BITTEN, $ = id => document.getElementById(id);
const T = {window: "hour", refreshMs: 7000, trader: null};  // shared with throne_actions.js

B.start(async () => {
  const r = await B.api("/api/ops/throne?window=hour");
  if (r.status === 403) {
    document.body.replaceChildren(B.el("div", {class: "outside", id: "gate"},
      B.el("p", {}, "operators only"), B.el("p", {class: "hint"}, "This page is for BITTEN's operators.")));
    return;
  }
  if (!r.ok) throw new Error(r.body.error || "the Throne did not answer");
  $("throne").hidden = false;
  renderThrone(r.body);
  wireActions();  // throne_actions.js
  $("win-hour").addEventListener("click", () => setWindow("hour"));
  $("win-day").addEventListener("click", () => setWindow("day"));
  $("search").addEventListener("click", search);
  $("q").addEventListener("keydown", e => { if (e.key === "Enter") search(); });
  setInterval(refresh, T.refreshMs);  // first, so a failed first read never stops the refresh
  await refreshActions();
});

async function refresh() {
  try {
    const r = await get("/api/ops/throne?window=" + T.window);
    if (r.ok) renderThrone(r.body); else failed("flow", r);
    await Promise.all([refreshActions(), refreshTrader()]);
  } catch (err) {  // the login itself failed (initData too old): say so, keep the last figures
    B.show((err.message || String(err)) + " · reopen the Throne from Telegram.");
  }
}

function setWindow(name) {
  T.window = name;
  $("win-hour").className = name === "hour" ? "on" : "";
  $("win-day").className = name === "day" ? "on" : "";
  return refresh();
}

// An error in place of a panel: the route, its status and what it said (a route not deployed
// yet answers 403/404 from the router: the panel says so and the page goes on)
async function get(path) {
  const r = await B.api(path);
  return {...r, path: path.split("?")[0]};
}

function failed(id, r) {
  const said = (r.body && (r.body.error || r.body.message || r.body.Message)) || "not available";
  const node = B.el("span", {class: "error"}, (r.path ? r.path + ": " : "") + r.status + " " + said);
  $(id).replaceChildren($(id).tagName === "TABLE" ? B.el("tr", {}, B.el("td", {}, node)) : node);
}

const table = rows => rows.map(cells => B.el("tr", {}, cells.map(c => B.el("td", {}, c))));
const sec = v => v === null || v === undefined ? "–" : Number(v).toFixed(3);
const counts = obj => Object.entries(obj).map(([k, n]) => k + " " + n).join(", ") || "none";

function renderThrone(v) {
  $("updated").textContent = v.at.slice(11, 19) + " UTC";
  const f = v.flow, lag = f.alert_lag;
  $("flow").replaceChildren(...table([
    ["Window", "last " + f.window + " · since " + B.when(f.since)],
    ["Signals", f.signals + " (" + counts(f.signals_by_setup) + ")"],
    ["Missions", String(f.missions)],
    ["Alerts sent", f.alerts_sent + " · lag p50 " + sec(lag.p50) + " s · p95 " + sec(lag.p95) + " s"],
    ["Fires", String(f.fires)], ["Fills", String(f.fills)],
    ["Rejects", counts(f.rejects)],
    ["Reconciliations", String(f.reconciliations)], ["Expiries", String(f.expiries)],
    ["Closes", String(f.closes)], ["Skipped at fan-out", String(f.skipped)],
  ]));
  $("latency").replaceChildren(...table([["hop", "n", "p50", "p95", "p99"], ...v.latencies.map(h =>
    [h.from_hop + " → " + h.to_hop, String(h.seconds.count), sec(h.seconds.p50),
     sec(h.seconds.p95), sec(h.seconds.p99)])]));
  terminals(v.terminals);
  const t = v.telegram;
  $("telegram").replaceChildren(...table([
    ["Personal alerts", t.personal_sent + " (" + t.paid_sent + " paid broadcast)"],
    ["Group alerts", String(t.group_sent)],
    ["Requeued (429 / busy)", counts(t.requeued)], ["Not sent", counts(t.skipped)]]));
  $("drift").replaceChildren(...v.drift.map(driftRow));
}

function terminals(list) {
  const age = s => s === null ? "–" : s < 120 ? Math.round(s) + " s" : Math.round(s / 60) + " min";
  $("terminals").replaceChildren(...table([["login", "trader", "status", "snapshot age"],
    ...list.map(a => [a.login + (a.demo ? " (demo)" : ""), String(a.telegram_id), a.status, age(a.age_s)])]));
}

function driftRow(d) {
  const live = d.trades + " trades" + (d.trades ? " · win " + d.win_rate + "% · PF " +
    (d.profit_factor === null ? "–" : d.profit_factor) : "");
  const ref = d.reference;
  const backtest = ref ? "backtest win " + ref.win_rate.join("–") + "% · PF " +
    ref.profit_factor.join("–") + " (" + ref.runs + " runs: " + ref.source + ")" : "no backtest range";
  return B.el("div", {class: "drift-setup"},
    B.el("div", {class: "row"}, B.el("span", {}, d.setup),
         B.el("span", {class: d.status === "drift" ? "drift" : "hint"}, d.status.toUpperCase())),
    B.el("div", {}, "live " + live), B.el("div", {class: "hint"}, backtest),
    B.el("div", {class: "hint"}, d.note));
}

async function search() {
  const q = $("q").value.trim();
  const r = await get("/api/ops/traders?q=" + encodeURIComponent(q));
  if (!r.ok) return failed("matches", r);
  if (!r.body.traders.length) { $("matches").replaceChildren(B.el("span", {class: "hint"}, "No trader matches.")); return; }
  $("matches").replaceChildren(...r.body.traders.map(t => B.el("div", {class: "row"},
    B.el("span", {}, "@" + t.username + " · " + t.telegram_id + " · " + t.tier + " · " +
         (t.login || "no account") + " (" + t.matched + ")"),
    B.el("button", {class: "open", onclick: () => openTrader(t.trader_id)}, "Open"))));
  if (r.body.traders.length === 1) await openTrader(r.body.traders[0].trader_id);
}

async function openTrader(id) {
  const r = await get("/api/ops/traders/" + id);
  if (!r.ok) return failed("trader", r);
  T.trader = id;
  const t = r.body;
  $("trader").replaceChildren(B.el("div", {class: "card", id: "trader-card"},
    B.el("div", {class: "row"}, B.el("b", {}, "@" + t.username + " · " + t.telegram_id),
         B.el("span", {class: "badge", id: "trader-tier"}, t.tier)),
    B.el("div", {class: "hint"}, (t.login || "no account") + (t.tier_expires_at ?
         " · tier until " + B.when(t.tier_expires_at) : "")),
    tierForm(t.trader_id),  // throne_actions.js
    B.el("div", {id: "trader-trades"}, ...openTrades(t)),
    B.el("h2", {}, "Missions"), B.el("div", {id: "trader-missions"}, ...t.missions.map(missionCard))));
}

const openTrades = t => [B.el("h2", {}, "Open trades (" + t.open_trades.length + ")"),
  ...t.open_trades.map(p => B.el("div", {}, p.symbol + " " + p.side.toUpperCase() + " " +
                              p.volume + " @ " + p.price_open + " · ticket " + p.ticket))];

// The open trader, live: a mission card is redrawn only when its trace grew (open logs stay)
async function refreshTrader() {
  if (!T.trader || !$("trader-missions")) return;
  const r = await get("/api/ops/traders/" + T.trader);
  if (!r.ok) return;
  $("trader-trades").replaceChildren(...openTrades(r.body));
  const cards = r.body.missions.map(m => {
    const shown = document.querySelector("[data-mission='" + m.mission_id + "']");
    return shown && shown.dataset.hops === String(m.trace.length) ? shown : missionCard(m);
  });
  $("trader-missions").replaceChildren(...cards);
}

function missionCard(m) {
  const first = m.trace.length ? Date.parse(m.trace[0].at) : 0;
  const rows = m.trace.map(e => [e.hop, e.at.slice(11, 23),
    "+" + ((Date.parse(e.at) - first) / 1000).toFixed(3) + " s",
    Object.keys(e.detail).length ? JSON.stringify(e.detail) : ""]);
  const logs = B.el("div", {class: "logs"});
  return B.el("div", {class: "card mission", "data-mission": m.mission_id, "data-hops": m.trace.length},
    B.el("div", {class: "row"}, B.el("b", {}, m.pair + " " + m.direction.toUpperCase() + " " + m.lots),
         B.el("span", {class: "badge"}, m.status)),
    B.el("div", {class: "hint"}, m.setup + " · " + m.mission_id + (m.status_reason ? " · " + m.status_reason : "")),
    B.el("table", {class: "grid trace"}, ...table(rows)),
    B.el("button", {onclick: () => missionLogs(m.mission_id, logs)}, "Logs"), logs);
}

async function missionLogs(missionId, box) {
  const r = await get("/api/ops/logs?mission=" + missionId + "&limit=200");
  if (!r.ok) { box.id = "logs-" + missionId; failed(box.id, r); return; }
  const lines = r.body.lines.map(l => l.at.slice(11, 23) + " " + l.level + " " + l.logger + " " +
    l.message + (l.error ? " · " + l.error : ""));
  box.textContent = "logs of mission " + missionId + ":\n" + (lines.join("\n") || "no log lines");
}
