"""signal_scan use case: closed candles -> VENOM/CITADEL signals -> Postgres + signals queue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from bitten import logs
from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.instruments import conversion_path, pip_size, split_symbol
from bitten.domain.shield import multiplier_for
from bitten.domain.signal import TradeSignal
from bitten.domain.switches import Switch
from bitten.services.deps import ScanDeps

if TYPE_CHECKING:  # numpy stays out of functions that never scan
    from bitten.strategy.candles import Candles
    from bitten.strategy.venom import Signal

log = logs.get("scan")


def to_trade_signal(raw: Signal, engine: str, now: datetime) -> TradeSignal:
    """Strategy output (floats) -> exact domain signal (prices to a tenth of a pip)."""
    tick = pip_size(raw.pair) / 10
    bar_time = datetime.fromtimestamp(raw.bar_time, UTC)
    shield = raw.shield
    score = Decimal(shield.score).quantize(Decimal("0.1"))  # a sum of whole or half points
    return TradeSignal(
        id=uuid.uuid4(),
        pair=raw.pair,
        direction=raw.direction,
        entry=Decimal(repr(raw.entry)).quantize(tick),
        stop_pips=Decimal(repr(raw.stop_pips)).quantize(Decimal("0.1")),
        target_pips=Decimal(repr(raw.target_pips)).quantize(Decimal("0.1")),
        confidence=int(raw.confidence),
        shield_score=score,
        shield_label=shield.label,
        risk_multiplier=multiplier_for(score),
        reasons=list(raw.reasons),
        shield_checks=list(shield.checks),
        engine=f"{engine}/{raw.setup}" if raw.setup else engine,
        bar_time=bar_time,
        created_at=now,
        expires_at=now + timedelta(minutes=int(raw.expiry_minutes)),
    )


def unvalued_reason(pair: str, symbols: list[str], account: str) -> str | None:
    """Why a mission on `pair` could not be sized in `account` currency, or None when it can."""
    try:
        _, quote = split_symbol(pair)
        conversion_path(quote, account, [*symbols, pair], prefer={pair})
    except ValueError as why:  # NoConversionRate, or not a currency pair
        return f"{why}, so its pips cannot be valued in {account}"
    return None


def tradable_pairs(deps: ScanDeps) -> list[str]:
    """The feed's pairs whose pips the broker's quotes can value in the account currency."""
    symbols = deps.feed.symbols()
    kept, unvalued = [], {}
    for pair in deps.feed.pairs():
        reason = unvalued_reason(pair, symbols, deps.account_currency)
        if reason is None:
            kept.append(pair)
        else:
            unvalued[pair] = reason
    for pair in sorted(unvalued.keys() - deps.unvalued_pairs.keys()):
        log.warning("%s left out of the scan: %s", pair, unvalued[pair], extra={"pair": pair})
    for pair in sorted(deps.unvalued_pairs.keys() - unvalued.keys()):
        log.info("%s scanned again: the broker can value it now", pair, extra={"pair": pair})
    deps.unvalued_pairs = unvalued
    return kept


def _candles(deps: ScanDeps, now: datetime) -> dict[str, Candles]:
    """Recent bars of every tradable pair; a pair the feed fails on is skipped, unless all fail."""
    out, failed = {}, []
    for pair in tradable_pairs(deps):
        try:
            out[pair] = deps.feed.recent(pair, now, deps.lookback_bars)
        except (BrokerError, BrokerTimeout) as err:
            log.error("no candles for %s, skipped this minute: %s", pair, err, extra={"pair": pair})
            failed.append(pair)
    if failed and not out:
        raise BrokerError(f"no candles for any pair ({', '.join(failed)})")
    return out


def scan_signals(deps: ScanDeps) -> list[TradeSignal]:
    """Scan every pair once; store and enqueue each new signal (a re-run emits nothing twice)."""
    now = deps.clock.now()
    with deps.uow() as repos:
        signals = repos.switches.get(Switch.SIGNALS)
        disabled = repos.ops.setups.disabled()  # issue 13: operators switch setups off
    if signals.paused:
        log.warning("scan skipped: %s", signals.refusal())
        return []
    epoch = int(now.timestamp())
    candles = _candles(deps, now)
    emitted = []
    for raw in deps.scanner({p: c for p, c in candles.items() if len(c)}, epoch):
        if raw.setup in disabled:
            log.warning("%s signal dropped: setup %s is switched off", raw.pair, raw.setup)
            continue
        signal = to_trade_signal(raw, deps.engine, now)
        with deps.uow() as repos:
            if not repos.signals.add(signal):
                continue
            close = signal.bar_time + timedelta(minutes=1)
            repos.trace.stamp("candle_close", close, signal_id=signal.id, pair=signal.pair)
            repos.trace.stamp("signal_emitted", now, signal_id=signal.id)
            deps.signals_queue.send({"signal_id": str(signal.id)})
        log.info("signal %s %s", signal.pair, signal.direction, extra={"signal_id": signal.id})
        emitted.append(signal)
    return emitted
