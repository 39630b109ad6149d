"""`bitten demo-data` cuts a night out of shared-format files: verbatim rows, same bytes twice."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bitten import cli
from bitten.local.demo.slice import NIGHT_HOURS, TAIL_HOURS, cut_night
from bitten.strategy.venom import LOOKBACK_BARS

FIRST_BAR = datetime(2017, 1, 9, 0, 0, tzinfo=UTC)
PRICES = ("1.0519", "1.05", "1.05197", "1.0512")  # trailing zeros already gone, as in the source
NIGHT = "2017-01-11T05:20"  # bar 3,200 of the source


def source_rows(bars: int) -> list[str]:
    """Shared-format rows one minute apart; prices written the way the converter writes them."""
    rows = []
    for i in range(bars):
        t = (FIRST_BAR + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        o, h, lo, c = (PRICES[(i + k) % 4] for k in range(4))
        rows.append(f"{t},{o},{max(o, h, c)},{min(o, lo, c)},{c},0")
    return rows


def shared_folder(folder: Path, pairs: tuple[str, ...] = ("EURUSD",), bars: int = 6000) -> Path:
    """A ../shared/data/fx look-alike: PAIR_M1_2017H1.csv.gz files and their manifest.json."""
    folder.mkdir()
    files = {}
    for pair in pairs:
        text = "time,open,high,low,close,volume\n" + "\n".join(source_rows(bars)) + "\n"
        data = gzip.compress(text.encode(), mtime=0)
        name = f"{pair}_M1_2017H1.csv.gz"
        (folder / name).write_bytes(data)
        upstream = {"repo": "github.com/example/fx", "commit": "a" * 40, "path": f"{pair}.zip"}
        files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "sources": [upstream]}
    (folder / "manifest.json").write_text(json.dumps({"converter": "convert.py", "files": files}))
    return folder


def body(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode().split("\n")


def test_the_cut_keeps_the_lookback_the_night_and_the_tail_verbatim(tmp_path):
    # Given a source whose bar 4,000 opens the night
    source = shared_folder(tmp_path / "fx")
    start = FIRST_BAR + timedelta(minutes=4000)
    # When the night is cut
    cut = cut_night(source, tmp_path / "out", start=start)
    # Then the file holds LOOKBACK_BARS rows before it and every row of the night and its tail
    night_bars = int(60 * (NIGHT_HOURS + TAIL_HOURS))
    lines = body(tmp_path / "out" / cut.files[0].name)
    assert lines[0] == "time,open,high,low,close,volume" and lines[-1] == ""
    assert lines[1:-1] == source_rows(6000)[4000 - LOOKBACK_BARS : 4000 + night_bars]
    assert (cut.files[0].bars_before, cut.files[0].rows) == (LOOKBACK_BARS, LOOKBACK_BARS + 600)
    assert cut.files[0].name == f"EURUSD_M1_{start:%Y-%m-%d}_night.csv.gz"


def test_cutting_twice_writes_the_same_bytes(tmp_path):
    # Given two pairs in a source folder
    source = shared_folder(tmp_path / "fx", ("EURUSD", "USDJPY"))
    start = FIRST_BAR + timedelta(minutes=3900)
    # When the same night is cut into two folders
    cut_night(source, tmp_path / "a", start=start)
    cut_night(source, tmp_path / "b", start=start)
    # Then files and README are byte for byte equal, with no time or file name in the gzip header
    a, b = sorted((tmp_path / "a").iterdir()), sorted((tmp_path / "b").iterdir())
    assert [p.name for p in a] == [p.name for p in b] and len(a) == 3
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    header = a[0].read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0" and header[3] & 0x08 == 0  # MTIME 0, no FNAME


def test_the_readme_lists_each_file_its_source_and_both_digests(tmp_path):
    # Given a cut of one pair
    source = shared_folder(tmp_path / "fx")
    cut = cut_night(source, tmp_path / "out", start=FIRST_BAR + timedelta(minutes=4000))
    # When its README is read
    text = (tmp_path / "out" / "README.md").read_text()
    # Then it names the window, the slice's and the source's SHA-256 and the upstream commit
    f = cut.files[0]
    assert "2017-01-11T18:40:00Z + 8 h" in text
    assert f"{f.sha256}  {f.name}" in text and f"{f.source_sha256}  {f.source}" in text
    assert "github.com/example/fx" in text and "a" * 40 in text


def test_a_source_that_differs_from_its_manifest_is_refused(tmp_path, capsys):
    # Given a source file edited after its manifest was written
    source = shared_folder(tmp_path / "fx")
    (source / "EURUSD_M1_2017H1.csv.gz").write_bytes(gzip.compress(b"time,open\n", mtime=0))
    out = tmp_path / "out"
    # When the CLI cuts it
    code = cli.main(["demo-data", "--source", str(source), "--out", str(out), "--start", NIGHT])
    # Then it stops with a message naming the file, and writes nothing
    assert code == 2
    assert "EURUSD_M1_2017H1.csv.gz" in capsys.readouterr().err
    assert not out.exists()


def test_the_cli_cuts_and_says_what_it_wrote(tmp_path, capsys):
    # Given a source folder
    source, out = shared_folder(tmp_path / "fx"), tmp_path / "out"
    # When the CLI cuts a night from it
    code = cli.main(["demo-data", "--source", str(source), "--out", str(out), "--start", NIGHT])
    # Then the slice is there and the summary line says so
    assert code == 0
    assert "1 files" in capsys.readouterr().out
    assert [p.name for p in out.glob("*.csv.gz")] == ["EURUSD_M1_2017-01-11_night.csv.gz"]


def test_a_missing_source_folder_is_a_clear_error(tmp_path, capsys):
    # Given no shared folder where --source points
    # When the CLI is asked to cut from it
    code = cli.main(["demo-data", "--source", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    # Then it exits 2 and says which folder is missing
    assert code == 2
    assert "no candle folder at" in capsys.readouterr().err


def test_by_default_the_pairs_venom_trades_are_cut(tmp_path):
    # Given a source with a traded pair and one VENOM does not trade
    source = shared_folder(tmp_path / "fx", ("EURUSD", "EURGBP"))
    # When the night is cut without naming pairs
    cut = cut_night(source, tmp_path / "out", start=FIRST_BAR + timedelta(minutes=4000))
    # Then only the traded pair is in it
    assert [f.name[:6] for f in cut.files] == ["EURUSD"]
