"""The night shipped in the package: the files its README lists, small, and VENOM fires on it."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest

from bitten.adapters.market_data import load_folder
from bitten.config import DEMO_CANDLES, SHARED_FX
from bitten.domain.instruments import quote_to_account_rate
from bitten.local.demo.night import busiest_night
from bitten.local.demo.slice import NIGHT_HOURS, STAMP, cut_night
from bitten.strategy import venom
from bitten.strategy.universe import TRADED
from bitten.strategy.venom import LOOKBACK_BARS

CAP_KB = 950  # a repository hook complains above 1024 KB of tracked *.csv.gz


def readme() -> str:
    return (DEMO_CANDLES / "README.md").read_text()


def listed_digests() -> dict[str, str]:
    """File name -> SHA-256 from the README's digest block of the slice files."""
    found = re.findall(r"^([0-9a-f]{64})  (\S+_night\.csv\.gz)$", readme(), re.M)
    return {name: sha for sha, name in found}


@pytest.fixture(scope="module")
def night():
    """(candles, replay start) as `bitten demo` picks them from the packaged folder."""
    candles = load_folder(DEMO_CANDLES)
    return candles, busiest_night(candles, NIGHT_HOURS)


def test_every_packaged_file_is_the_one_its_readme_lists():
    # Given the packaged folder
    # When each slice file is hashed
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in DEMO_CANDLES.iterdir()}
    found.pop("README.md")
    # Then the digests are those the README lists, and every pair VENOM trades is there
    assert found == listed_digests()
    assert {name[:6] for name in found} == set(TRADED)


def test_every_packaged_pair_can_be_sized_for_a_usd_account():
    # Given the packaged pairs, each quoted by the paper broker
    pairs = {p.name[:6] for p in DEMO_CANDLES.glob("*.csv.gz")}
    rates = {pair: Decimal("1.1") for pair in pairs}
    # When each pair's quote currency is converted to USD as the fanout's sizing does
    converted = {pair: quote_to_account_rate(pair, Decimal("1.1"), "USD", rates) for pair in pairs}
    # Then none is missing a rate (a signal on it would otherwise be skipped by the fanout)
    assert len(converted) == len(pairs) > 0


def test_the_slice_stays_under_the_size_cap():
    # Given the packaged files, counted as `du -k` does on 4 KiB blocks
    sizes = [p.stat().st_size for p in DEMO_CANDLES.glob("*.csv.gz")]
    kb = sum(-(-size // 4096) * 4 for size in sizes)
    # Then all together stay clearly under the repository's 1024 KB limit
    assert 0 < kb <= CAP_KB


def test_the_night_is_the_readmes_with_venoms_lookback_before_it(night):
    # Given the night picked from the packaged files
    candles, start = night
    # When the bars closed by its start are counted per pair
    before = {pair: len(c.upto(int(start.timestamp()))) for pair, c in candles.items()}
    # Then every pair has VENOM's whole lookback, and the night is the one the README names
    assert min(before.values()) >= LOOKBACK_BARS
    assert f"Replay night: {start.strftime(STAMP)} + {NIGHT_HOURS:g} h" in readme()
    end = int((start + timedelta(hours=NIGHT_HOURS)).timestamp())
    assert all(int(c.time[-1]) >= end for c in candles.values())


def test_venom_fires_during_the_night_as_the_live_scanner_sees_it(night):
    # Given the packaged night
    candles, start = night
    # When the scanner runs once a minute over the night, on what had closed by then
    t0 = int(start.timestamp())
    minutes = range(int(NIGHT_HOURS * 60) + 1)
    signals = [s for m in minutes for s in venom.scan(candles, t0 + 60 * m)]
    # Then VENOM fires, on bars of the night (three times, on USDJPY and GBPUSD)
    assert sorted(s.pair for s in signals) == ["GBPUSD", "USDJPY", "USDJPY"]
    assert all(t0 <= s.bar_time < t0 + NIGHT_HOURS * 3600 for s in signals)


@pytest.mark.skipif(not SHARED_FX.is_dir(), reason="needs ../shared/data/fx to cut from")
def test_cutting_the_shared_files_again_gives_the_packaged_bytes(tmp_path, night):
    # Given the shared files the slice came from and the night it covers
    _, start = night
    # When two pairs are cut again
    cut = cut_night(SHARED_FX, tmp_path, ["EURUSD", "USDJPY"], start)
    # Then they are byte for byte the packaged files
    for f in cut.files:
        assert (tmp_path / f.name).read_bytes() == (DEMO_CANDLES / f.name).read_bytes()
