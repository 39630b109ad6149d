"""`bitten demo-data`: cut the demo night out of the shared M1 files, rows copied verbatim.

The result ships inside the package so a clone without ../shared still replays a night on
which VENOM fires. Re-running the cut gives byte-identical files (gzip level 9, mtime 0, no
file name in the header) and README.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

NIGHT_HOURS = 8.0  # what `bitten demo` replays
TAIL_HOURS = 2.0  # after the night, so trades opened late can still reach their stop or target
SOURCE_TAG = "2017H1"
STAMP = "%Y-%m-%dT%H:%M:%SZ"  # the shared files' time column, which sorts as text


class SourceMismatch(ValueError):
    """A source file is not the one its manifest.json describes."""


@dataclass(frozen=True)
class SliceFile:
    """One cut file and the shared file it was cut from."""

    name: str
    rows: int
    bars_before: int
    first: str
    last: str
    size: int
    sha256: str
    source: str
    source_sha256: str


@dataclass(frozen=True)
class Window:
    """Replay from `start`; keep `lookback` bars before it and every bar opening before `end`."""

    start: datetime
    end: datetime
    lookback: int


@dataclass(frozen=True)
class Cut:
    """What was written: the window and one file per pair."""

    window: Window
    files: tuple[SliceFile, ...]


def slice_name(pair: str, start: datetime) -> str:
    """PAIR_M1_<night>.csv.gz: the shared naming scheme, so `discover()` finds it."""
    return f"{pair}_M1_{start:%Y-%m-%d}_night.csv.gz"


def source_files(source: Path, pairs: list[str] | None, tag: str) -> dict[str, Path]:
    """Pair -> its PAIR_M1_<tag>.csv.gz in the shared folder (default: the pairs VENOM trades)."""
    from bitten.strategy.universe import TRADED

    if not source.is_dir():
        raise FileNotFoundError(f"no candle folder at {source}")
    wanted = pairs or list(TRADED)
    named = {p: source / f"{p}_M1_{tag}.csv.gz" for p in wanted}
    picked = {p: path for p, path in named.items() if path.is_file()}
    if not picked:
        raise FileNotFoundError(f"no PAIR_M1_{tag}.csv.gz files in {source}")
    return picked


def busiest_start(files: dict[str, Path]) -> datetime:
    """The replay start `bitten demo` picks over these files (and over the cut, see the test)."""
    from bitten.adapters.market_data import load_file
    from bitten.local.demo.night import busiest_night

    return busiest_night({p: load_file(p, path) for p, path in files.items()}, NIGHT_HOURS)


def window_rows(raw: bytes, start: datetime, end: datetime, lookback: int) -> tuple[bytes, list]:
    """(header, rows): `lookback` rows before `start`, then every row before `end`, verbatim."""
    lines = raw.split(b"\n")
    header, rows = lines[0], [line for line in lines[1:] if line]
    first = bisect.bisect_left(rows, start.strftime(STAMP).encode(), key=lambda r: r[:20])
    stop = bisect.bisect_left(rows, end.strftime(STAMP).encode(), key=lambda r: r[:20])
    return header, rows[max(0, first - lookback) : stop]


def gzip_bytes(text: bytes) -> bytes:
    """Level-9 gzip with mtime 0 and no file name: the same input gives the same bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as out:
        out.write(text)
    return buf.getvalue()


def checked_source(path: Path, manifest: dict) -> bytes:
    """The source file's bytes, refused unless its SHA-256 is the one in manifest.json."""
    data = path.read_bytes()
    entry = manifest.get("files", {}).get(path.name)
    digest = hashlib.sha256(data).hexdigest()
    if entry is None or entry.get("sha256") != digest:
        raise SourceMismatch(f"{path} is not listed with SHA-256 {digest} in manifest.json")
    return data


def cut_pair(source: Path, data: bytes, window: Window, out: Path) -> SliceFile:
    """Write one slice file (cut from `data`, the bytes of `source`) and describe it."""
    header, rows = window_rows(gzip.decompress(data), window.start, window.end, window.lookback)
    stamp = window.start.strftime(STAMP).encode()
    packed = gzip_bytes(b"\n".join([header, *rows]) + b"\n")
    name = slice_name(source.name[:6], window.start)
    (out / name).write_bytes(packed)
    return SliceFile(
        name,
        len(rows),
        sum(1 for r in rows if r[:20] < stamp),
        rows[0][:20].decode(),
        rows[-1][:20].decode(),
        len(packed),
        hashlib.sha256(packed).hexdigest(),
        source.name,
        hashlib.sha256(data).hexdigest(),
    )


def cut_night(
    source: Path, out: Path, pairs: list[str] | None = None, start: datetime | None = None
) -> Cut:
    """Cut the busiest night (or `start`) of every pair into `out`, with its README."""
    from bitten.local.demo.slice_readme import render
    from bitten.strategy.venom import LOOKBACK_BARS

    files = source_files(source, pairs, SOURCE_TAG)
    manifest = json.loads((source / "manifest.json").read_text())
    data = {path: checked_source(path, manifest) for path in files.values()}  # all, before writing
    begin = start or busiest_start(files)
    window = Window(begin, begin + timedelta(hours=NIGHT_HOURS + TAIL_HOURS), LOOKBACK_BARS)
    out.mkdir(parents=True, exist_ok=True)
    cut = Cut(window, tuple(cut_pair(path, raw, window, out) for path, raw in data.items()))
    (out / "README.md").write_text(render(cut, manifest))
    return cut


def parse_utc(text: str | None) -> datetime | None:
    """'2017-01-17T22:30' -> that minute in UTC."""
    return datetime.fromisoformat(text.rstrip("Z")).replace(tzinfo=UTC) if text else None
