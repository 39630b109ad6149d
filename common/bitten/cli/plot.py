"""Equity curve PNG (matplotlib is imported only when a plot is asked for)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bitten.strategy.backtest import Result


def equity_png(result: Result, path: Path) -> Path:
    """Pooled VENOM and random-baseline equity in pips, by trade number."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5))
    ax.plot(np.cumsum(result.trades.pips), label="VENOM (after spread)")
    ax.plot(np.cumsum(result.random.pips), label="random entries", alpha=0.7)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("trade #")
    ax.set_ylabel("cumulative pips")
    ax.set_title(f"BITTEN backtest equity: {len(result.pairs)} instruments")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
