"""The MT5 return-code table: what each code means for a fire, and the client id's shape."""

from __future__ import annotations

import uuid

import pytest

from bitten.domain.fire import client_id_for, mission_of
from bitten.domain.retcodes import RETCODES, Outcome, outcome_of, retcode_text


def test_every_trade_server_code_from_10004_to_10033_is_known():
    # MT5 has no 10005; every other code of the range has a name, a meaning and an outcome
    missing = [c for c in range(10004, 10034) if c != 10005 and c not in RETCODES]
    assert missing == []


def test_only_codes_that_say_nothing_executed_are_retried():
    retried = {c for c, r in RETCODES.items() if r.outcome is Outcome.RETRY}
    assert retried == {10004, 10020, 10021, 10024}  # requote, price changed, off quotes, 429


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (10009, Outcome.FILLED),
        (10008, Outcome.FILLED),
        (10010, Outcome.FILLED),
        (10019, Outcome.REFUSED),
        (10031, Outcome.NOT_SENT),  # no connection with the trade server
        (10027, Outcome.NOT_SENT),  # AutoTrading off in the terminal
        (10028, Outcome.UNKNOWN),  # locked for processing: it may still execute
        (10012, Outcome.UNKNOWN),
        (-10005, Outcome.UNKNOWN),
        (-12345, Outcome.UNKNOWN),  # any negative code: the result is unknown
        (0, Outcome.REFUSED),
        (10099, Outcome.REFUSED),
    ],
)
def test_outcome_of_a_code(code, outcome):
    assert outcome_of(code) is outcome


def test_retcode_text_is_the_mt5_wording_with_the_detail():
    assert retcode_text(10019, "margin 1100.08 needed") == (
        "There is not enough money to complete the request: margin 1100.08 needed"
    )
    assert retcode_text(4242) == "retcode 4242"


def test_the_client_id_fits_an_mt5_comment_and_maps_back_to_the_mission():
    mission_id = uuid.uuid4()
    client_id = client_id_for(mission_id)
    assert len(client_id) == 26 and client_id == client_id.lower() and client_id.isalnum()
    assert mission_of(client_id) == mission_id
    assert mission_of(client_id.upper()) == mission_id  # a gateway that upper-cases comments
    assert mission_of("manual") is None and mission_of(str(mission_id)) is None
