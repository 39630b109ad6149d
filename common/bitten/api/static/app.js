// BITTEN Mini App core: Telegram login (initData -> short-lived JWT kept in memory only),
// theme, MainButton, haptics, and DOM helpers that only ever insert text (never HTML).
"use strict";

const BITTEN = (() => {
  let token = null;  // the session JWT: in this closure only, never stored or put in a URL
  const hash = new URLSearchParams(location.hash.slice(1));
  const tg = () => (window.Telegram && window.Telegram.WebApp) || null;

  function initData() {
    const app = tg();
    return (app && app.initData) || hash.get("tgWebAppData") || "";
  }

  function applyTheme() {
    let theme = (tg() && tg().themeParams) || null;
    if (!theme || !Object.keys(theme).length) {
      try { theme = JSON.parse(hash.get("tgWebAppThemeParams") || "{}"); } catch { theme = {}; }
    }
    for (const [key, value] of Object.entries(theme || {})) {
      document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
    }
  }

  async function login() {
    const data = initData();
    if (!data) throw new OutsideTelegram();
    const r = await fetch("/api/auth/telegram", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({init_data: data})});
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || "login failed");
    token = body.token;
  }

  class OutsideTelegram extends Error {
    constructor() { super("Open this page from the BITTEN bot in Telegram."); }
  }

  // fetch with the session; a 401 (token expired) logs in again once
  async function api(path, options = {}, retried = false) {
    if (!token) await login();
    const headers = {...(options.headers || {}), "Authorization": "Bearer " + token};
    if (options.json !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {method: options.method || "GET", headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : undefined});
    if (r.status === 401 && !retried) { token = null; return api(path, options, true); }
    const body = await r.json().catch(() => ({}));
    return {ok: r.ok, status: r.status, body};
  }

  function el(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const num = v => (v === null || v === undefined || v === "") ? null : Number(v);
  const price = (v, digits) => num(v) === null ? "–" : num(v).toFixed(digits);
  const pips = (v, signed) => num(v) === null ? "–"
    : (signed && num(v) > 0 ? "+" : "") + num(v).toFixed(1);
  function money(v, currency, signed) {
    if (num(v) === null) return "–";
    return new Intl.NumberFormat("en-US", {style: "currency", currency: currency || "USD",
      signDisplay: signed ? "exceptZero" : "auto"}).format(num(v));
  }
  const tone = v => num(v) > 0 ? "win" : num(v) < 0 ? "loss" : "";
  function countdown(ms) {
    if (ms <= 0) return "expired";
    const s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    const ss = String(s % 60).padStart(2, "0");
    return h ? `${h}h ${String(m).padStart(2, "0")}m left` : `${m}m ${ss}s left`;
  }
  const when = iso => new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC";

  function haptic(kind) {
    const app = tg();
    if (!app || !app.HapticFeedback) return;
    if (kind === "impact") app.HapticFeedback.impactOccurred("heavy");
    else app.HapticFeedback.notificationOccurred(kind);
  }

  // Telegram's MainButton when inside Telegram; the page's own button otherwise
  function mainButton(fallback, text, onClick) {
    const app = tg();
    if (app && app.MainButton && app.initData) {
      fallback.hidden = true;
      app.MainButton.setText(text);
      app.MainButton.onClick(onClick);
      return {
        enable(on) { on ? app.MainButton.show().enable() : app.MainButton.disable(); },
        hide() { app.MainButton.hide(); },
      };
    }
    fallback.textContent = text;
    fallback.addEventListener("click", onClick);
    return {enable(on) { fallback.disabled = !on; }, hide() { fallback.disabled = true; }};
  }

  function show(text) { document.getElementById("msg").textContent = text; }

  async function start(main) {
    const app = tg();
    if (app) { app.ready(); app.expand(); }
    applyTheme();
    try {
      await main();
    } catch (err) {
      if (err instanceof OutsideTelegram) {
        const bot = document.querySelector("meta[name=bot]").content;
        document.body.replaceChildren(el("div", {class: "outside"},
          el("p", {}, err.message), el("a", {href: "https://t.me/" + bot}, "Open @" + bot)));
        return;
      }
      show(err.message || String(err));
    }
  }

  return {api, el, price, pips, money, tone, countdown, when, haptic, mainButton, show,
          start: main => window.addEventListener("load", () => start(main))};
})();
