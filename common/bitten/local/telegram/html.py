"""Telegram's parse_mode=HTML rules: plain text plus entities, or tdlib's parse errors."""

from __future__ import annotations

import html
import re
from typing import Any

from bitten.local.telegram.state import ApiError

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)?([^<>]*)>")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")
# Telegram decodes only these named entities; any other '&' stays literal text.
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_REF = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot);")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of every Telegram entity offset."""
    return len(text.encode("utf-16-le")) // 2


def _unescape(chunk: str) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return _NAMED.get(name) or html.unescape(f"&{name};")

    return _ENTITY_REF.sub(one, chunk)


def _fail(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {reason}")


def _open_entity(name: str, attrs: str, offset: int, at: int) -> dict[str, Any]:
    if name not in ENTITY_TYPES:
        raise _fail(f'Unsupported start tag "{name}" at byte offset {at}')
    found = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) for m in _ATTR.finditer(attrs)
    }
    if name == "span" and found.get("class") != "tg-spoiler":
        raise _fail(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    entity: dict[str, Any] = {"type": ENTITY_TYPES[name], "offset": offset, "tag": name}
    if name == "a":
        entity["url"] = _unescape(found.get("href", ""))
    if name == "pre" and "class" in found:
        entity["language"] = found["class"].removeprefix("language-")
    return entity


def _close_entity(stack: list[dict[str, Any]], name: str, at: int) -> dict[str, Any]:
    if not stack:
        raise _fail(f"Unexpected end tag at byte offset {at}")
    top = stack.pop()
    if top["tag"] != name:
        raise _fail(
            f'Unmatched end tag at byte offset {at}, expected "</{top["tag"]}>", found "</{name}>"'
        )
    return top


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Turn Telegram HTML into (plain text, entities) or raise ApiError like tdlib does."""
    plain: list[str] = []
    length = 0
    stack: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    for match in _TAG.finditer(text):
        raw = text[pos : match.start()]
        if "<" in raw:
            raise _fail(f"Unclosed start tag at byte offset {len(text[:pos].encode())}")
        chunk = _unescape(raw)
        plain.append(chunk)
        length += utf16_len(chunk)
        at = len(text[: match.start()].encode())
        closing, name = match.group(1) == "/", (match.group(2) or "").lower()
        if closing:
            entity = _close_entity(stack, name, at)
            entity["length"] = length - entity["offset"]
            if entity["length"] > 0:
                entities.append({k: v for k, v in entity.items() if k != "tag"})
        else:
            stack.append(_open_entity(name, match.group(3), length, at))
        pos = match.end()
    if "<" in text[pos:]:
        raise _fail(f"Unclosed start tag at byte offset {len(text[:pos].encode())}")
    tail = _unescape(text[pos:])
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1]["tag"]}"')
    plain.append(tail)
    return "".join(plain), sorted(entities, key=lambda e: (e["offset"], -e["length"]))
