"""The replay clock of `bitten run` and the demo: steps on schedule, real time in between."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from bitten.adapters.clock import ReplayClock

START = datetime(2017, 1, 17, 22, 30, tzinfo=UTC)


def test_time_runs_between_steps_and_each_step_lands_on_schedule():
    # Given a replay clock at 22:30
    clock = ReplayClock(START)
    # When 50 ms of real work pass
    time.sleep(0.05)
    during = clock.now()
    # Then the clock moved by that much, not by nothing
    assert timedelta(milliseconds=40) <= during - START < timedelta(seconds=1)
    # When the driver steps a minute
    stepped = clock.advance(timedelta(minutes=1))
    # Then the step lands on 22:31 exactly, after every reading before it
    assert stepped == START + timedelta(minutes=1) > during
    assert clock.now() >= stepped


def test_a_step_shorter_than_the_work_never_moves_time_back():
    clock = ReplayClock(START)
    time.sleep(0.05)
    before = clock.now()
    # When the driver steps 1 ms after 50 ms of work
    assert clock.advance(timedelta(milliseconds=1)) >= before
    # And set() starts the schedule again from the time given
    clock.set(START)
    assert START <= clock.now() < START + timedelta(seconds=1)
