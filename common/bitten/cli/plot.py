"""Equity curve PNG (matplotlib is imported only when a plot is asked for)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bitten.strategy.backtest import PairResult
from bitten.strategy.report import pooled_pips


def equity_png(results: list[PairResult], path: Path) -> Path:
    """Pooled VENOM and random-baseline equity in pips, by trade number."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5))
    ax.plot(np.cumsum(pooled_pips(results)), label="VENOM (after spread)")
    ax.plot(np.cumsum(pooled_pips(results, random=True)), label="random entries", alpha=0.7)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel("trade #")
    ax.set_ylabel("cumulative pips")
    ax.set_title("BITTEN backtest equity: " + ", ".join(r.pair for r in results))
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
