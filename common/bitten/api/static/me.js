// War Room: balance and equity, open positions with live P&L (refreshed), today's and this
// week's results, tier and its limits, XP, referral link.
"use strict";

const B = BITTEN, $ = id => document.getElementById(id);
const row = (label, value, cls) => B.el("div", {class: "row"}, B.el("span", {class: "hint"}, label),
                                        B.el("span", {class: cls || ""}, value));

B.start(async () => {
  await summary();
  await positions();
  setInterval(positions, 5000);
});

async function summary() {
  const r = await B.api("/api/me");
  if (!r.ok) throw new Error(r.body.error);
  const me = r.body, a = me.account, cur = a.currency;
  $("tier").textContent = me.tier_name;
  $("who").textContent = "@" + me.username + " · XP " + me.xp;
  const account = a.login === null ? [B.el("div", {}, a.error)] : [
    row("Account", a.login + (a.demo ? " (demo)" : " (live)")),
    row("Balance", B.money(a.balance, cur)),
    row("Equity", B.money(a.equity, cur)),
    row("Terminal", a.online ? "🟢 online" : "🔴 offline"),
  ];
  if (a.error && a.login !== null) account.push(B.el("div", {class: "hint"}, a.error));
  $("account").replaceChildren(...account);
  const period = (name, p) => row(name, p.trades + " trades · " + p.wins + " won · " +
      B.pips(p.pips, true) + " pips · " + B.money(p.profit, cur, true), B.tone(p.profit));
  $("results").replaceChildren(period("Today", me.today), period("This week", me.week));
  const limit = me.open_trade_limit === null ? "no limit" : String(me.open_trade_limit);
  $("tierbox").replaceChildren(
    row("Tier", me.tier_name + (me.tier_expires_at ? " until " + B.when(me.tier_expires_at) : "")),
    row("Allows", me.tier_allows),
    row("Open trades", me.open_trades + " / " + limit),
    row("XP", String(me.xp)),
    row("Referrals", String(me.referrals)),
    B.el("div", {class: "hint"}, "Invite: ", B.el("a", {href: me.referral_link}, me.referral_link)));
}

async function positions() {
  const r = await B.api("/api/positions");
  if (!r.ok) { $("positions").replaceChildren(B.el("span", {class: "hint"}, r.body.error)); return; }
  if (!r.body.items.length) {
    $("positions").replaceChildren(B.el("span", {class: "hint"}, "No open trades."));
    return;
  }
  const cur = r.body.currency;
  $("positions").replaceChildren(...r.body.items.map(p => B.el("div", {class: "row position"},
    B.el("span", {}, p.symbol + " " + p.side.toUpperCase() + " " + p.volume + " @ " +
         B.price(p.price_open, p.digits)),
    B.el("span", {class: B.tone(p.profit)}, B.pips(p.pips, true) + " pips · " +
         B.money(p.profit, cur, true)))));
}
