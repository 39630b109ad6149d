"""`bitten demo` exits non-zero and says why when a stage stayed empty or anything was lost."""

from __future__ import annotations

import json

from bitten.local.demo.replay import print_summary
from bitten.local.demo.summary import failure
from factories import demo_summary


def test_a_run_where_every_stage_happened_passes(capsys):
    # Given a summary with every stage above zero and nothing lost
    summary = demo_summary()
    # When the demo prints it
    code = print_summary(summary)
    # Then it exits 0, says nothing on stderr, and the JSON line is the last stdout line
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert json.loads(out.splitlines()[-1]) == summary


def test_empty_stages_fail_the_run_and_are_named(capsys):
    # Given a night where orders were sent but nothing filled or closed
    summary = demo_summary(fills=0, closed=0)
    # When the demo prints it
    code = print_summary(summary)
    # Then it exits 1 with one stderr line naming the empty stages, JSON still last on stdout
    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip() == "demo failed: empty stages: fills, closed"
    assert json.loads(out.splitlines()[-1]) == summary


def test_an_all_zero_night_names_every_stage():
    # Given a replay on which VENOM never fired
    summary = demo_summary(
        signals=0,
        missions=0,
        alerts=0,
        fires_requested=0,
        missions_fired=0,
        orders=0,
        fills=0,
        closed=0,
    )
    # When the verdict is taken
    why = failure(summary)
    # Then every stage from signals to closed is named, in flow order
    assert why == (
        "empty stages: signals, missions, alerts, fires_requested, orders, fills, closed"
    )


def test_losses_and_errors_fail_a_busy_run(capsys):
    # Given every stage happened, but two messages were lost and one handler failed
    summary = demo_summary(lost=2, errors=1)
    # When the demo prints it
    code = print_summary(summary)
    # Then it exits 1 and the stderr line gives both counts
    assert code == 1
    assert capsys.readouterr().err.startswith("demo failed: lost 2; errors 1")


def test_no_duplicate_to_block_is_not_a_failure():
    # Given a night on which nobody tapped FIRE twice
    # When the verdict is taken
    # Then the run still passes: only the flow's stages and losses count
    assert failure(demo_summary(duplicates_blocked=0)) is None


def test_an_injected_fault_that_changed_nothing_fails_the_run():
    # Given a night where the offline terminal and the paused window refused no FIRE
    why = failure(demo_summary(refused_offline=0, refused_paused=0))
    # Then the verdict names them: the demo did not exercise what it injected
    assert why == "injected faults that changed nothing: refused_offline, refused_paused"


def test_orders_that_do_not_match_the_filled_fires_fail_the_run():
    assert failure(demo_summary(orders=31)) == "orders 31 != missions_fired 30"


def test_a_night_without_the_game_names_its_empty_stages():
    # Given a night where trades happened but no drill went out and the plan refused nothing
    summary = demo_summary(drill_reports=0, plan_refusals=0)
    # When the verdict is taken / Then the game's empty stages are named (issue 12)
    assert failure(summary) == "empty stages: drill_reports, plan_refusals"


def test_anything_awarded_or_delivered_twice_fails_the_run():
    assert failure(demo_summary(double_awards=1)) == "double_awards 1"


def test_a_night_without_operators_or_stored_logs_names_them():
    # Given a night where no operator action was audited and no log line reached Postgres
    summary = demo_summary(audited_actions=0, log_rows=0)
    # When the verdict is taken / Then both are named (issue 13)
    assert failure(summary) == "empty stages: audited_actions, log_rows"
