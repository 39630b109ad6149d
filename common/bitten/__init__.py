"""BITTEN: Bot-Integrated Tactical Trading Engine/Network."""
