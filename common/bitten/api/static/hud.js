// HUD: the mission briefing with its chart and countdown; after FIRE the live trade until it
// closes. The page polls GET /api/missions/{id}; FIRE posts once with an Idempotency-Key.
"use strict";

const B = BITTEN, $ = id => document.getElementById(id);
const missionId = new URLSearchParams(location.search).get("mission");
let view = null, fire = null, offset = 0, series = null, timer = null;
const POLL_MS = {open: 10000, fired: 2000, filled: 2000};

B.start(async () => {
  if (!missionId) throw new Error("No mission in this link.");
  fire = B.mainButton($("fire"), "FIRE", onFire);
  fire.enable(false);
  await refresh();
  chart();
  setInterval(tick, 1000);
});

async function refresh() {
  clearTimeout(timer);
  const r = await B.api("/api/missions/" + missionId);
  if (!r.ok && !r.body.mission) { B.show(r.body.error || "no mission"); fire.hide(); return; }
  view = r.ok ? r.body : r.body.mission;  // 410 (expired) still carries the briefing
  offset = Date.parse(view.now) - Date.now();
  render();
  if (!r.ok) B.show(r.body.error);
  fire.enable(r.ok && view.state === "open");
  if (view.state !== "open") fire.hide();  // inside Telegram the MainButton goes away
  if (POLL_MS[view.state]) timer = setTimeout(refresh, POLL_MS[view.state]);
}

function render() {
  const s = view.signal, m = view.mission, d = view.digits, cur = view.currency;
  $("title").textContent = s.pair + " " + s.direction.toUpperCase();
  $("state").textContent = view.state.toUpperCase();
  const pct = (100 * Number(m.risk_amount) / Number(m.balance)).toFixed(2);
  const rows = [
    ["Entry", "~" + B.price(s.entry, d)],
    ["Lots", m.lots],
    ["Stop", B.price(m.sl_price, d) + " (" + B.pips(s.stop_pips) + " pips)"],
    ["Target", B.price(m.tp_price, d) + " (" + B.pips(s.target_pips) + " pips)"],
    ["Risk", B.money(m.risk_amount, cur) + " (" + pct + "% of " + B.money(m.balance, cur) + ")"],
    ["Shield", s.shield_score + "/10 " + s.shield_label + " x" + m.risk_multiplier],
    ["Confidence", s.confidence + "%"],
    ["Expires", B.when(view.expires_at)],
  ];
  $("facts").replaceChildren(...rows.map(([k, v]) => B.el("tr", {}, B.el("td", {}, k),
                                                          B.el("td", {}, v))));
  const lines = [...s.shield_checks].sort((a, b) => b.score - a.score)
    .map(c => c.name + ": " + c.explanation);
  if (m.exposure_note) lines.push("exposure: " + m.exposure_note);
  $("checks").replaceChildren(...lines.map(t => B.el("li", {}, t)));
  $("outcome").replaceChildren(...outcome());
  markFill();
}

function outcome() {
  const o = view.outcome || {}, d = view.digits, cur = view.currency, live = view.live;
  switch (view.state) {
    case "open": return ["Not fired yet."];
    case "expired": return ["Expired: not fired."];
    case "fired": return ["FIRE received: sending your order…"];
    case "rejected": return ["Not executed: " + (o.fire_message || "refused by the broker")];
    case "filled": return [
      B.el("div", {id: "fill"}, "Filled " + o.volume + " lots @ " + B.price(o.price_open, d) +
           " · slippage " + B.pips(o.slippage_pips, true) + " pips · ticket #" + o.ticket),
      live ? B.el("div", {id: "live", class: B.tone(live.profit)}, "Now " +
                  B.price(live.price_current, d) + " · " + B.pips(live.pips, true) + " pips · " +
                  B.money(live.profit, cur, true)) : B.el("div", {id: "live"}, "Live P&L…")];
    case "closed": return [B.el("div", {id: "closed", class: B.tone(o.profit)},
      "Closed @ " + B.price(o.price_close, d) + " · " + reason(o.close_reason) + " · " +
      B.pips(o.pips, true) + " pips · " + B.money(o.profit, cur, true))];
  }
  return [view.state];
}

const reason = r => ({tp: "target hit", sl: "stopped out", client: "closed by hand"})[r] || r;

function tick() {
  if (!view) return;
  const left = Date.parse(view.expires_at) - (Date.now() + offset);
  $("countdown").textContent = view.state === "open" ? "⏳ " + B.countdown(left) : "";
  if (view.state === "open" && left <= 0) { fire.enable(false); refresh(); }
}

async function onFire() {
  fire.enable(false);
  B.haptic("impact");
  const r = await B.api("/api/missions/" + missionId + "/fire",
                        {method: "POST", headers: {"Idempotency-Key": "hud:" + missionId}});
  B.show(r.status === 202 ? "FIRE received: sending your order." : r.body.error);
  B.haptic(r.status === 202 ? "success" : "error");
  await refresh();
}

async function chart() {
  const r = await B.api("/api/missions/" + missionId + "/bars");
  if (!r.ok || !window.LightweightCharts) { $("chart").hidden = true; return; }
  const LC = window.LightweightCharts, css = getComputedStyle(document.documentElement);
  const c = LC.createChart($("chart"), {autoSize: true, layout: {
      background: {color: css.getPropertyValue("--bg").trim() || "#0b0f14"},
      textColor: css.getPropertyValue("--fg").trim() || "#d6e2ee"},
    timeScale: {timeVisible: true}, grid: {vertLines: {visible: false}}});
  const levels = [view.signal.entry, view.mission.sl_price, view.mission.tp_price].map(Number);
  series = c.addSeries(LC.CandlestickSeries, {priceFormat: {type: "price",
    precision: view.digits, minMove: Math.pow(10, -view.digits)},
    autoscaleInfoProvider: original => {  // keep entry, stop and target on screen
      const r = original(), lo = Math.min(...levels), hi = Math.max(...levels);
      if (!r) return {priceRange: {minValue: lo, maxValue: hi}};
      return {...r, priceRange: {minValue: Math.min(r.priceRange.minValue, lo),
                                 maxValue: Math.max(r.priceRange.maxValue, hi)}};
    }});
  series.setData(r.body.bars.map(b => ({time: b.time, open: +b.open, high: +b.high,
                                        low: +b.low, close: +b.close})));
  const line = (price, color, title) => series.createPriceLine({price: +price, color, title,
    lineWidth: 1, lineStyle: LC.LineStyle.Dashed, axisLabelVisible: true});
  line(view.signal.entry, "#6ab3f3", "entry");
  line(view.mission.sl_price, "#e5534b", "SL");
  line(view.mission.tp_price, "#36b37e", "TP");
  c.timeScale().fitContent();
  markFill();
}

let fillLine = null;
function markFill() {
  const o = view && view.outcome;
  if (!series || fillLine || !o || !o.price_open) return;
  fillLine = series.createPriceLine({price: +o.price_open, color: "#f5c542", title: "fill",
                                     lineWidth: 2, axisLabelVisible: true});
}
