"""A trader's own note on a closed trade: free text and a few tags, checked before storing."""

from __future__ import annotations

import re

MAX_NOTE = 2000
MAX_TAGS = 10
_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,23}$")


class InvalidNote(ValueError):
    """The note or its tags break a rule; the message says which."""


def clean_note(note: str) -> str:
    """The note as stored: trimmed, at most 2,000 characters."""
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidNote(f"a note holds at most {MAX_NOTE} characters, this one has {len(note)}")
    return note


def clean_tags(tags: list[str]) -> list[str]:
    """Lower-case, unique, in order; each 1-24 letters, digits, - or _; at most 10."""
    out: list[str] = []
    for raw in tags:
        tag = raw.strip().lower().lstrip("#")
        if not _TAG.match(tag):
            raise InvalidNote(f"tag {raw!r}: use 1-24 letters, digits, - or _")
        if tag not in out:
            out.append(tag)
    if len(out) > MAX_TAGS:
        raise InvalidNote(f"at most {MAX_TAGS} tags per trade")
    return out
