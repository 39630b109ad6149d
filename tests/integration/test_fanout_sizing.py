"""mission_fanout sizing crosses through chains of quoted pairs, and skipping what it cannot."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from bitten.domain.tiers import Tier
from bitten.local.paper import InMemoryBroker
from bitten.services.fanout import fan_out_missions
from bitten.strategy.candles import Candles
from factories import T0, add_trader, candles, make_signal, make_world, market, store_signal


class CountingBroker(InMemoryBroker):
    """The in-memory broker, counting the calls the fan-out makes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.spec_calls: Counter[str] = Counter()
        self.symbol_lists = 0

    def symbol_spec(self, login: str, symbol: str):
        self.spec_calls[symbol] += 1
        return super().symbol_spec(login, symbol)

    def symbols(self) -> list[str]:
        self.symbol_lists += 1
        return super().symbols()


def skipped(world, signal_id) -> list[tuple]:
    rows = world.rows(
        "SELECT trader_id, detail FROM trace_events WHERE hop = 'mission_skipped' "
        "AND signal_id = %s ORDER BY id",
        signal_id,
    )
    return [(r["trader_id"], r["detail"]["reason"]) for r in rows]


def test_a_cross_without_a_usd_pair_is_sized_through_a_two_hop_chain(settings):
    # Given a broker quoting GBPNZD at 1.8 and GBPUSD at 1.25 but no NZDUSD, three traders,
    # and a 20 pip GBPNZD signal
    world = make_world(settings, {**market(), "GBPNZD": candles("GBPNZD", 1.8)})
    world.broker = CountingBroker(book=world.broker.book)
    traders = [add_trader(world, Tier.FANG, balance="10000") for _ in range(3)]
    signal = store_signal(world, make_signal("GBPNZD", entry="1.8", stop_pips="20"))
    # When it fans out
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"created": 3}
    # Then NZD pips are valued NZD -> GBP -> USD at the mids (GBPNZD 1.8001, GBPUSD 1.25006):
    # 10 x 1.25006 / 1.8001 = 6.94439 USD a pip, and 200 / (20 x 6.94439) = 1.44 lots
    lots = world.rows("SELECT lots FROM missions")
    assert lots == [{"lots": Decimal("1.44")}] * len(traders)
    # And the broker was asked once per symbol for the whole signal, not once per trader
    assert world.broker.spec_calls == {"GBPNZD": 1, "GBPUSD": 1}
    assert world.broker.symbol_lists == 1


def test_a_listed_symbol_without_a_price_is_routed_around(settings):
    # Given NZDUSD is listed but has no bar yet (zero bid and ask, as MT5 reports it)
    early = candles("NZDUSD", 0.6)
    late = Candles("NZDUSD", early.time + 300 * 60, early.open, early.high, early.low, early.close)
    world = make_world(settings, {**market(), "GBPNZD": candles("GBPNZD", 1.8), "NZDUSD": late})
    world.broker = CountingBroker(book=world.broker.book)
    add_trader(world, Tier.FANG, balance="10000")
    signal = store_signal(world, make_signal("GBPNZD", entry="1.8", stop_pips="20"))
    # When a GBPNZD signal fans out
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"created": 1}
    # Then the direct NZDUSD was tried, found unpriced, and GBPNZD -> GBPUSD used instead
    assert world.rows("SELECT lots FROM missions") == [{"lots": Decimal("1.44")}]
    assert world.broker.spec_calls == {"GBPNZD": 1, "NZDUSD": 1, "GBPUSD": 1}


def test_a_pair_no_chain_can_value_is_skipped_and_traced_while_the_rest_go_on(settings):
    # Given NOKSEK is quoted but nothing links NOK or SEK to USD; a USD and a SEK trader
    world = make_world(settings, {**market(), "NOKSEK": candles("NOKSEK", 1.05)})
    usd = add_trader(world, Tier.FANG, balance="10000")
    sek = add_trader(world, Tier.FANG, balance="100000", currency="SEK")
    noksek = store_signal(world, make_signal("NOKSEK", entry="1.05", stop_pips="20"))
    # When a NOKSEK signal fans out
    outcome = fan_out_missions(noksek.id, world.fanout_deps())
    # Then the USD trader is skipped with the reason in the trace, and the SEK trader is sized
    assert outcome == {"skipped_no_rate": 1, "created": 1}
    assert skipped(world, noksek.id) == [(usd.id, "skipped_no_rate")]
    rows = world.rows("SELECT trader_id, lots FROM missions")
    assert rows == [{"trader_id": sek.id, "lots": Decimal("10.00")}]
    # And the next EURUSD signal still reaches the USD trader (the SEK one cannot value it)
    eurusd = store_signal(world, make_signal(created_at=T0 + timedelta(minutes=1)))
    assert fan_out_missions(eurusd.id, world.fanout_deps()) == {
        "created": 1,
        "skipped_no_rate": 1,
    }
    assert skipped(world, eurusd.id) == [(sek.id, "skipped_no_rate")]


def test_a_routine_skip_is_traced_with_its_reason_and_message(settings):
    # Given a live account of 40 USD: 0.80 USD at risk over 10 pips buys 0.008 lots
    world = make_world(settings)
    poor = add_trader(world, Tier.COMMANDER, balance="40", demo=False)
    signal = store_signal(world)
    # When the signal fans out
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"skipped_size": 1}
    # Then the trace says which trader got no mission, and why
    (row,) = world.rows("SELECT trader_id, detail FROM trace_events WHERE hop = 'mission_skipped'")
    assert row["trader_id"] == poor.id and row["detail"]["reason"] == "skipped_size"
    assert "below the 0.01 minimum" in row["detail"]["message"]
