"""Settings: unsafe values refused with an error a person can act on; market data always found."""

from bitten import cli
from bitten.adapters.market_data import discover, load_market
from bitten.config import DEMO_CANDLES, load_settings
from bitten.strategy.universe import TRADED


def test_a_short_jwt_secret_is_refused_at_start(monkeypatch, capsys):
    # Given a HUD session key shorter than the 32 bytes HS256 needs
    monkeypatch.setenv("JWT_SECRET", "too-short")
    # When any command starts
    code = cli.main(["db", "migrate"])
    # Then it stops before doing anything and says which setting is wrong
    err = capsys.readouterr().err
    assert code == 2
    assert "jwt_secret" in err and "at least 32 characters" in err


def test_without_a_folder_set_the_platform_still_has_m1_candles():
    # Given no BITTEN_MARKET_DATA
    settings = load_settings(bitten_market_data=None)
    # When the platform asks where its market data is
    source = settings.market_data_source()
    # Then it gets M1 files of every pair VENOM trades (../shared, else the packaged night)
    assert set(TRADED) <= set(discover(source))


def test_the_packaged_night_says_so_when_loaded():
    # Given the market data folder pointed at the night shipped in the package
    settings = load_settings(bitten_market_data=DEMO_CANDLES)
    # When it is loaded for two pairs
    candles, source = load_market(settings.market_data_source(), ["EURUSD", "USDJPY"])
    # Then the startup line can tell the user which data the replay runs on
    assert sorted(candles) == ["EURUSD", "USDJPY"]
    assert "demo slice shipped in the package" in source
