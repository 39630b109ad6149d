"""Settings refuse values that would be unsafe in production, with an error a person can act on."""

from bitten import cli


def test_a_short_jwt_secret_is_refused_at_start(monkeypatch, capsys):
    # Given a HUD session key shorter than the 32 bytes HS256 needs
    monkeypatch.setenv("JWT_SECRET", "too-short")
    # When any command starts
    code = cli.main(["db", "migrate"])
    # Then it stops before doing anything and says which setting is wrong
    err = capsys.readouterr().err
    assert code == 2
    assert "jwt_secret" in err and "at least 32 characters" in err
