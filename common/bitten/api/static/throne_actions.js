// Commander Throne actions: switches, queues and their dead letters (peek, redrive), setups,
// broadcast, tier grants, refunds and the audit log. Every action asks for a reason; the
// server writes it to the audit log with the operator's name.
"use strict";

function reasonOf(id) {
  const reason = $(id).value.trim();
  if (!reason) { B.show("Say why: a reason is required."); $(id).focus(); }
  return reason || null;
}

// POST an action; the answer (or the route's error) goes to #msg, then the panels refresh
async function act(path, json, done) {
  const r = await B.api(path, {method: "POST", json});
  const said = r.body.error || r.body.message || "failed";
  B.show(r.ok ? "Done: " + path.replace("/api/ops/", "") : path + ": " + r.status + " " + said);
  if (r.ok && done) done(r.body);
  await refreshActions();
  return r;
}

function wireActions() {
  $("bc-send").addEventListener("click", async () => {
    const reason = reasonOf("bc-reason"), text = $("bc-text").value.trim();
    if (!reason) return;
    if (!text) { B.show("Write the message first."); return; }
    await act("/api/ops/broadcast", {text, tier: $("bc-tier").value || null, reason},
      b => { $("bc-result").textContent = b.recipients + " recipients"; });
  });
  $("refund-send").addEventListener("click", async () => {
    const reason = reasonOf("refund-reason"), charge = $("refund-charge").value.trim();
    if (!reason || !charge) return;
    await act("/api/ops/refunds", {charge_id: charge, reason},
      b => { $("refund-result").textContent = JSON.stringify(b); });
  });
}

async function refreshActions() {
  await Promise.all([switches(), queues(), setups(), audit()]);
}

async function switches() {
  const r = await get("/api/ops/switches");
  if (!r.ok) return failed("switches", r);
  $("switches").replaceChildren(...r.body.switches.map(s => B.el("div", {class: "row switch", id: "switch-" + s.name},
    B.el("span", {}, s.name + ": " + (s.paused ? "PAUSED (" + s.reason + ", " + s.changed_by + ")" : "running")),
    B.el("button", {id: (s.paused ? "resume-" : "pause-") + s.name,
      onclick: () => flip(s.name, !s.paused)}, (s.paused ? "Resume " : "Pause ") + s.name))));
}

async function flip(name, paused) {
  const reason = reasonOf("switch-reason");
  if (!reason) return;
  const r = await act("/api/ops/switches/" + name, {paused, reason});
  if (r.ok) $("switch-reason").value = "";
}

async function queues() {
  const r = await get("/api/ops/queues");
  if (!r.ok) return failed("queues", r);
  const rows = r.body.queues.map(q => B.el("tr", {},
    B.el("td", {}, q.name), B.el("td", {}, String(q.depth)), B.el("td", {}, String(q.in_flight)),
    B.el("td", {class: q.dead_letters ? "drift" : ""}, String(q.dead_letters)),
    B.el("td", {}, B.el("button", {onclick: () => peek(q.name)}, "Peek DLQ"))));
  $("queues").replaceChildren(B.el("table", {class: "grid"},
    B.el("tr", {}, ...["queue", "depth", "in flight", "dead letters", ""].map(h => B.el("td", {}, h))), ...rows));
}

async function peek(queue) {
  const r = await get("/api/ops/dlq/" + encodeURIComponent(queue) + "?max=10");
  if (!r.ok) return failed("dlq", r);
  if (!r.body.messages.length) { $("dlq").replaceChildren(B.el("span", {class: "hint"}, queue + ": no dead letters.")); return; }
  $("dlq").replaceChildren(B.el("div", {class: "hint"}, queue + " dead letters:"),
    ...r.body.messages.map(m => B.el("div", {class: "row"},
      B.el("span", {class: "logs"}, m.sent_at + " ×" + m.receive_count + " " +
           (typeof m.body === "string" ? m.body : JSON.stringify(m.body))),
      B.el("button", {onclick: () => redrive(queue, m.message_id)}, "Redrive"))));
}

async function redrive(queue, messageId) {
  const reason = reasonOf("dlq-reason");
  if (!reason) return;
  await act("/api/ops/dlq/" + encodeURIComponent(queue) + "/redrive", {message_id: messageId, reason});
  await peek(queue);
}

async function setups() {
  const r = await get("/api/ops/setups");
  if (!r.ok) return failed("setups", r);
  $("setups").replaceChildren(...r.body.setups.map(s => B.el("div", {class: "row"},
    B.el("span", {}, s.name + ": " + (s.enabled ? "on" : "OFF") + (s.reason ? " (" + s.reason + ", " + s.changed_by + ")" : "")),
    B.el("button", {onclick: async () => {
      const reason = reasonOf("setup-reason");
      if (reason) await act("/api/ops/setups/" + encodeURIComponent(s.name), {enabled: !s.enabled, reason});
    }}, s.enabled ? "Turn off" : "Turn on"))));
}

async function audit() {
  const r = await get("/api/ops/audit?limit=50");
  if (!r.ok) return failed("audit", r);
  const entries = r.body.entries;
  if (!entries.length) { $("audit").replaceChildren(B.el("span", {class: "hint"}, "No operator action yet.")); return; }
  $("audit").replaceChildren(...entries.map(e => B.el("div", {class: "audit-entry"},
    B.el("span", {class: "hint"}, e.at.slice(0, 19).replace("T", " ") + " "),
    e.actor + " " + e.action + (e.target ? " " + e.target : "") + ": " + e.reason)));
}

// Grant a tier for some days, or PRESS_PASS to revoke; shown inside an opened trader
function tierForm(traderId) {
  const tier = B.el("select", {id: "tier-pick"}, ...["NIBBLER", "FANG", "COMMANDER", "PRESS_PASS"].map(
    t => B.el("option", {}, t)));
  const days = B.el("input", {id: "tier-days", type: "number", value: "30", min: "1"});
  const reason = B.el("input", {id: "tier-reason", placeholder: "reason (required)"});
  const grant = B.el("button", {onclick: async () => {
    if (!reasonOf("tier-reason")) return;
    await act("/api/ops/traders/" + traderId + "/tier",
      {tier: tier.value, days: Number(days.value), reason: reason.value.trim()},
      b => { $("trader-tier").textContent = b.tier || tier.value; });
  }}, "Grant tier");
  return B.el("div", {class: "row"}, tier, days, reason, grant);
}
