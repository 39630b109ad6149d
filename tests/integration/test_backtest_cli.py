"""`bitten backtest` end to end on a small folder of real candles written by the test."""

import argparse
import gzip
import json
from pathlib import Path

import pytest

from bitten.cli.backtest import add_commands
from bitten.cli.bench import add_bench_commands
from bitten.strategy.venom import LOOKBACK_BARS

FX = Path(__file__).resolve().parents[3] / "shared" / "data" / "fx"
KEYS = {
    "trades",
    "win_rate",
    "profit_factor",
    "expectancy_pips",
    "total_pips",
    "max_drawdown_pips",
    "trades_per_day",
}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bitten")
    sub = p.add_subparsers(required=True)
    add_commands(sub)
    bench = sub.add_parser("bench").add_subparsers(required=True)
    add_bench_commands(bench)
    return p


def run(*argv: str) -> int:
    args = parser().parse_args(list(argv))
    return args.func(args)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The first 60,000 rows of two real files, in the shared folder's format."""
    if not FX.is_dir():
        pytest.skip("no ../shared/data/fx")
    out = tmp_path_factory.mktemp("fx")
    for name in ("EURUSD_M1_2017H1.csv.gz", "USDJPY_M1_2017H1.csv.gz"):
        with gzip.open(FX / name, "rt") as fh:
            head = [next(fh) for _ in range(60_001)]
        with gzip.open(out / name, "wt") as fh:
            fh.writelines(head)
    return out


def test_backtest_prints_tables_and_writes_the_json(folder, tmp_path, capsys):
    # When the backtest runs on the folder with --json
    out = tmp_path / "out.json"
    assert run("backtest", "--data", str(folder), "--json", str(out)) == 0
    doc = json.loads(out.read_text())
    # Then the JSON has the keys and the numbers add up
    assert set(doc["pooled"]) == KEYS and set(doc["random_baseline"]) == KEYS
    assert set(doc["per_pair"]) == {"EURUSD", "USDJPY"}
    assert doc["pooled"]["trades"] == sum(m["trades"] for m in doc["per_pair"].values())
    for group in ("per_bucket", "per_setup", "per_session", "per_family", "by_month"):
        assert doc["pooled"]["trades"] == sum(m["trades"] for m in doc[group].values())
    assert 0 <= doc["pooled"]["win_rate"] <= 1 and doc["bars"] == 120_000
    assert doc["pooled"]["trades"] > 0 and doc["trading_days"] > 40
    assert doc["stress_1_5x"]["expectancy_pips"] < doc["pooled"]["expectancy_pips"]
    # And chance is shown as a spread over 20 more seeds, not one lucky or unlucky draw
    runs = doc["random_runs"]
    assert runs["runs"] == 20
    assert 0 < runs["profit_factor_p5"] <= runs["profit_factor_median"] <= runs["profit_factor_p95"]
    text = capsys.readouterr().out
    assert "VENOM per pair" in text and "CITADEL shield buckets" in text
    assert "VENOM per setup" in text and "at 1.5x spreads" in text
    assert "edge over chance" in text and "75% promise" in text
    assert "random baseline over 20 more seeds: median PF" in text


def test_pairs_and_dates_narrow_the_run_and_plot_is_drawn(folder, tmp_path):
    out, png = tmp_path / "o.json", tmp_path / "eq.png"
    code = run(
        "backtest",
        "--data",
        str(folder),
        "--pairs",
        "USDJPY",
        "--start",
        "2017-01-09",
        "--end",
        "2017-02-01",
        "--json",
        str(out),
        "--plot",
        str(png),
    )
    assert code == 0
    doc = json.loads(out.read_text())
    assert list(doc["per_pair"]) == ["USDJPY"] and doc["bars"] < 60_000
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_empty_folder_is_a_clear_error(tmp_path, capsys):
    assert run("backtest", "--data", str(tmp_path)) == 2
    assert "no PAIR_M1_*.csv.gz" in capsys.readouterr().err


def test_bench_commands_print_figures(folder, capsys):
    assert run("bench", "scan", "--data", str(folder), "--pairs", "4", "--repeat", "1") == 0
    assert run("bench", "backtest", "--data", str(folder), "--bars", "20000") == 0
    assert run("bench", "feed", "--data", str(folder), "--repeat", "1") == 0
    text = capsys.readouterr().out
    assert f"4 pairs x {LOOKBACK_BARS} M1 bars" in text
    assert "same trades: True" in text and "bars/s" in text
    assert f"x {LOOKBACK_BARS} M1 bars per scan, over HTTP from the paper broker" in text
    feed = json.loads(text.strip().splitlines()[-1])  # bench feed ends with one JSON object
    assert set(feed) == {"pairs", "bars", "full_ms", "incremental_ms", "memory_ms"}
    assert feed["pairs"] == 2 and feed["bars"] == LOOKBACK_BARS
    assert all(feed[k] > 0 for k in ("full_ms", "incremental_ms", "memory_ms"))
