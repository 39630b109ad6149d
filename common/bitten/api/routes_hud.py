"""GET /hud: the mission briefing page (data comes from the JSON API with the session token)."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response

from bitten.services.deps import ApiDeps

HUD_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>BITTEN HUD</title>
<script src="https://telegram.org/js/telegram-web-app.js" async></script>
<style>body{font-family:system-ui;background:#0b0f14;color:#d6e2ee;margin:1.2em}
h1{font-size:1.2em;color:#7fdc8b}table{border-collapse:collapse}td{padding:.2em .8em .2em 0}
button{font-size:1.3em;padding:.5em 2em;background:#c62828;color:#fff;border:0;border-radius:6px}
button:disabled{background:#555}#msg{margin-top:1em}</style></head>
<body><h1 id="title">Mission briefing</h1><table id="facts"></table><ul id="checks"></ul>
<button id="fire" disabled>FIRE</button><div id="msg"></div>
<script>
const q = new URLSearchParams(location.search), id = q.get("mission"), token = q.get("t");
const hdr = {"Authorization": "Bearer " + token};
const show = t => document.getElementById("msg").textContent = t;
async function load() {
  const r = await fetch("/api/missions/" + id, {headers: hdr}); const b = await r.json();
  if (!r.ok && !b.mission) { show(b.error); return; }
  const v = r.ok ? b : b.mission, s = v.signal, m = v.mission;  // 410 wraps the view
  document.getElementById("title").textContent = s.pair + " " + s.direction.toUpperCase();
  const rows = [["Lots", m.lots], ["Stop", s.stop_pips + " pips @ " + m.sl_price],
    ["Target", s.target_pips + " pips @ " + m.tp_price], ["Risk", m.risk_amount],
    ["Shield", s.shield_score + "/10 " + s.shield_label + " x" + m.risk_multiplier],
    ["Status", m.status + (v.fire_state ? " / " + v.fire_state : "")], ["Expires", m.expires_at]];
  const facts = document.getElementById("facts"), checks = document.getElementById("checks");
  facts.replaceChildren(...rows.map(([k, x]) => {
    const tr = document.createElement("tr");
    for (const t of [k, x]) tr.appendChild(document.createElement("td")).textContent = t;
    return tr; }));
  const lines = s.shield_checks.map(c => c.name + ": " + c.explanation);
  if (m.exposure_note) lines.push("exposure: " + m.exposure_note);
  checks.replaceChildren(...lines.map(t => {
    const li = document.createElement("li"); li.textContent = t; return li; }));
  document.getElementById("fire").disabled = !(r.ok && m.status === "open");
  if (!r.ok) show(b.error);
}
document.getElementById("fire").onclick = async () => {
  document.getElementById("fire").disabled = true;
  const r = await fetch("/api/missions/" + id + "/fire", {method: "POST",
    headers: {...hdr, "Idempotency-Key": "hud:" + id}});
  const b = await r.json(); show(r.ok ? "FIRE received: sending your order." : b.error); load();
};
load();
</script></body></html>"""


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/hud", methods=["GET"])
    def hud() -> Response:
        return Response(
            body=HUD_PAGE, status_code=200, headers={"Content-Type": "text/html; charset=utf-8"}
        )
