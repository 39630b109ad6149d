// Norman's Notebook: every closed trade with the trader's own note and tags (add, edit), and
// their statistics. Notes are shown with textContent: whatever they contain stays text.
"use strict";

const B = BITTEN, $ = id => document.getElementById(id);
const PER_PAGE = 10;
let page = 1, currency = "USD";

B.start(async () => {
  $("prev").addEventListener("click", () => { page -= 1; load(); });
  $("next").addEventListener("click", () => { page += 1; load(); });
  const me = await B.api("/api/me");
  if (me.ok) currency = me.body.account.currency;
  await load();
});

async function load() {
  const r = await B.api("/api/notebook?page=" + page + "&per_page=" + PER_PAGE);
  if (!r.ok) throw new Error(r.body.error);
  stats(r.body.stats);
  const pages = Math.max(1, Math.ceil(r.body.total / PER_PAGE));
  $("pageinfo").textContent = "page " + page + " of " + pages + " · " + r.body.total + " trades";
  $("prev").disabled = page <= 1;
  $("next").disabled = page >= pages;
  $("trades").replaceChildren(...(r.body.items.length ? r.body.items.map(trade)
    : [B.el("span", {class: "hint"}, "No closed trades yet.")]));
}

function stats(s) {
  const v = (x, suffix) => x === null ? "–" : x + (suffix || "");
  const hold = s.average_hold_minutes === null ? "–"
    : Math.floor(s.average_hold_minutes / 60) + "h " + s.average_hold_minutes % 60 + "m";
  const rows = [
    ["Trades", s.trades + " (" + s.wins + " won, " + s.losses + " lost)"],
    ["Win rate", v(s.win_rate, "%")],
    ["Expectancy", s.expectancy === null ? "–" : B.money(s.expectancy, currency, true) + " / trade"],
    ["Profit factor", v(s.profit_factor)],
    ["Average hold", hold],
    ["Best pair", v(s.best_pair)],
    ["Worst pair", v(s.worst_pair)],
    ["Total", B.pips(s.total_pips, true) + " pips · " + B.money(s.total_profit, currency, true)],
  ];
  $("stats").replaceChildren(...rows.map(([k, x]) => B.el("div", {class: "row"},
    B.el("span", {class: "hint"}, k), B.el("span", {}, x))));
}

function trade(t) {
  const note = B.el("textarea", {placeholder: "What did you see, feel, learn?", maxlength: "2000"});
  note.value = t.note;
  const tags = B.el("input", {placeholder: "tags: breakout, news", value: t.tags.join(", ")});
  const saved = B.el("div", {class: "note"}, t.note);
  const save = B.el("button", {onclick: () => write(t, note, tags, saved)}, "Save note");
  return B.el("div", {class: "card trade", "data-mission": t.mission_id},
    B.el("div", {class: "row"},
      B.el("b", {}, t.symbol + " " + t.side.toUpperCase() + " " + t.volume),
      B.el("span", {class: B.tone(t.profit)}, B.pips(t.pips, true) + " pips · " +
           B.money(t.profit, currency, true))),
    B.el("div", {class: "hint"}, B.when(t.closed_at) + " · " + t.close_reason),
    saved, B.el("div", {class: "tags"}, ...t.tags.map(x => B.el("span", {}, "#" + x))),
    note, tags, save);
}

async function write(t, note, tags, saved) {
  const list = tags.value.split(",").map(x => x.trim()).filter(Boolean);
  const r = await B.api("/api/notebook/" + t.mission_id,
                        {method: "PUT", json: {note: note.value, tags: list}});
  B.haptic(r.ok ? "success" : "error");
  B.show(r.ok ? "Note saved." : r.body.error);
  if (r.ok) { saved.textContent = r.body.note; t.note = r.body.note; }
}
