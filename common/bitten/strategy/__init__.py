"""Signal engine (numpy only): candles, indicators, VENOM, CITADEL, backtester."""
