"""The Mini App pages (/hud, /me, /notebook, /throne) and their static files, from the package."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape
from importlib import resources

from chalice import Chalice, Response

from bitten.api.responses import error
from bitten.services.deps import ApiDeps

PAGES = {
    "/hud": "hud.html",
    "/me": "me.html",
    "/notebook": "notebook.html",
    "/throne": "throne.html",  # operators only: its routes check the role
}
STATIC = {  # name -> content type; nothing else under /static is served
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "hud.js": "text/javascript; charset=utf-8",
    "me.js": "text/javascript; charset=utf-8",
    "notebook.js": "text/javascript; charset=utf-8",
    "throne.js": "text/javascript; charset=utf-8",
    "throne_actions.js": "text/javascript; charset=utf-8",
    "lightweight-charts.js": "text/javascript; charset=utf-8",
    "LICENSE-lightweight-charts.txt": "text/plain; charset=utf-8",
}
VENDOR = {
    "lightweight-charts.js": "vendor/lightweight-charts.standalone.production.js",
    "LICENSE-lightweight-charts.txt": "vendor/LICENSE-lightweight-charts.txt",
}
# The pages run only our own files and Telegram's script; data is shown as text, never HTML.
CSP = (
    "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors https://web.telegram.org 'self'"
)


@cache
def _file(name: str) -> str:
    return (resources.files("bitten.api") / "static" / name).read_text(encoding="utf-8")


def _page(name: str, bot_username: str) -> Response:
    body = _file(name).replace("{{BOT}}", escape(bot_username))
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body=body, status_code=200, headers=headers)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    def page_route(path: str, name: str) -> None:
        @app.route(path, methods=["GET"], name=name.replace(".", "_"))
        def page() -> Response:
            return _page(name, deps().bot.bot_username)

    for path, name in PAGES.items():
        page_route(path, name)

    @app.route("/static/{name}", methods=["GET"])
    def static(name: str) -> Response:
        if name not in STATIC:
            return error(404, "no such file")
        headers: dict[str, str | list[str]] = {
            "Content-Type": STATIC[name],
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(body=_file(VENDOR.get(name, name)), status_code=200, headers=headers)
