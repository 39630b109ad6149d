"""The README written beside the demo slice: what it is, where it came from, how to check it."""

from __future__ import annotations

from bitten.local.demo.slice import NIGHT_HOURS, STAMP, TAIL_HOURS, Cut

INTRO = """\
# Demo candles: one real night of M1 bars, shipped in the package

`make demo` and `make run` replay these files when there is no `../shared/data/fx` beside the
project and `BITTEN_MARKET_DATA` is unset, so a fresh clone shows VENOM firing on real prices.
They are a cut of the shared development files, not a new data set: same header
(`time,open,high,low,close,volume`), bid prices, bar OPEN times in UTC, volume always 0, and
every row copied character for character from the file it was cut from.
"""

TERMS = """\
## Licence and terms (from the shared folder's README)

The prices are HistData.com's data, marked "HistData.com (c) 2012" in each archive. The mirror
repository is MIT-licensed; that licence covers its software and does not clearly extend to
third-party data. Treat these files as internal research and test data. Don't republish them.
Check HistData.com's terms before any external use.
"""


def _window(cut: Cut) -> str:
    w = cut.window
    return (
        f"## Window\n\nReplay night: {w.start.strftime(STAMP)} + {NIGHT_HOURS:g} h, the night\n"
        "`bitten.local.demo.night.busiest_night` picks over the source files (and over these).\n"
        f"Each file holds the {w.lookback:,} bars before it (VENOM's `LOOKBACK_BARS`, so the\n"
        f"first scan already sees its full trend window), the night, and {TAIL_HOURS:g} h after\n"
        f"it: bars with open time in [first bar, {w.end.strftime(STAMP)}); first bars below.\n"
    )


def _table(cut: Cut) -> str:
    rows = [
        "| file | rows | bars before the night | first bar | last bar | bytes | cut from |",
        "|---|---:|---:|---|---|---:|---|",
    ]
    for f in cut.files:
        rows.append(
            f"| {f.name} | {f.rows:,} | {f.bars_before:,} | {f.first} | {f.last} "
            f"| {f.size:,} | ../shared/data/fx/{f.source} |"
        )
    total = sum(f.size for f in cut.files)
    return "## Files\n\n" + "\n".join(rows) + f"\n\n{len(cut.files)} files, {total:,} bytes.\n"


def _digests(cut: Cut) -> str:
    ours = "\n".join(f"{f.sha256}  {f.name}" for f in cut.files)
    theirs = "\n".join(f"{f.source_sha256}  {f.source}" for f in cut.files)
    return (
        "## SHA-256\n\nThe slice files (a test checks them):\n\n"
        f"```\n{ours}\n```\n\n"
        "The source files, as listed in `../shared/data/fx/manifest.json` "
        "(the cutter refuses a source that does not match):\n\n"
        f"```\n{theirs}\n```\n"
    )


def _provenance(cut: Cut, manifest: dict) -> str:
    upstream = [(f.name, *_upstream(manifest, f.source)) for f in cut.files]
    rows = [
        f"| {n} | {repo} | `{commit[:12]}` | {path} | {sha} |"
        for n, repo, commit, path, sha in upstream
    ]
    return (
        "## Source\n\nHistData.com Generic ASCII M1 archives from the mirror below, converted\n"
        f"to UTC into ../shared/data/fx by `{manifest.get('converter', 'fxdata_convert.py')}`.\n\n"
        "| file | repository | commit | archive | archive SHA-256 |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n\nFull commits: "
        + ", ".join(sorted({f"`{u[2]}`" for u in upstream}))
        + ".\n"
    )


def _upstream(manifest: dict, name: str) -> tuple[str, str, str, str]:
    """(repository, commit, archive path, archive SHA-256) of a shared file, per its manifest."""
    entry = manifest["files"][name]
    if entry.get("sources"):
        s = entry["sources"][0]
        return s["repo"], s["commit"], s["path"], s.get("sha256", "not in manifest.json")
    where, _, path = entry["source"].partition(" ")
    repo, _, commit = where.partition("@")
    return repo, commit, path, "not in manifest.json"


def render(cut: Cut, manifest: dict) -> str:
    """The whole README; the same cut gives the same text (no dates of the run in it)."""
    command = (
        "## Reproduce\n\n```\n.venv/bin/bitten demo-data --source ../shared/data/fx "
        "--out common/bitten/local/demo/candles\n```\n\n"
        "It picks the night again, cuts the `*_M1_2017H1.csv.gz` of every pair a USD account can\n"
        "size (USD on one side, or a USD pair of its quote currency in the folder: the CHF- and\n"
        "NZD-quoted crosses have none, so their signals could not become missions) and rewrites\n"
        "this README; with the same sources (and zlib) the files come out byte for byte the same.\n"
    )
    parts = [INTRO, _window(cut), _table(cut), _digests(cut), _provenance(cut, manifest)]
    return "\n".join([*parts, TERMS, command])
