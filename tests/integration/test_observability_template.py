"""template.yaml's alarms and dashboard watch exactly what the code emits (bitten.metrics)."""

from __future__ import annotations

import json
import re

import pytest

from bitten import metrics
from bitten.local.aws.template import load_template

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]
FUNCTIONS = sorted(k for k, r in RESOURCES.items() if r["Type"] == "AWS::Serverless::Function")
DLQS = sorted(k for k in RESOURCES if k.endswith("Dlq"))
QUEUES = sorted(
    k for k in RESOURCES if k.endswith("Queue") and RESOURCES[k]["Type"].endswith("Queue")
)
ALARMS = {k: r["Properties"] for k, r in RESOURCES.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
BITTEN_ALARMS = {
    metrics.FIRE_LATENCY: ("ExtendedStatistic", "p99"),
    metrics.ALERT_LAG: ("ExtendedStatistic", "p95"),
    metrics.HEARTBEAT_AGE: ("Statistic", "Maximum"),
    metrics.DRIFT_WARNINGS: ("Statistic", "Sum"),
}


def alarms_on(namespace: str, metric: str) -> list[dict]:
    return [a for a in ALARMS.values() if (a["Namespace"], a["MetricName"]) == (namespace, metric)]


def dashboard() -> dict:
    """The dashboard body as CloudWatch would receive it (every ${...} must name something)."""
    (body,) = [r for r in RESOURCES.values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    text = body["Properties"]["DashboardBody"]["Fn::Sub"]
    known = set(RESOURCES) | set(TEMPLATE["Parameters"]) | {"AWS::Region"}

    def placeholder(match: re.Match[str]) -> str:
        assert match.group(1).split(".")[0] in known, f"${{{match.group(1)}}} names nothing"
        return f"<{match.group(1)}>"

    return json.loads(re.sub(r"\$\{([^}]+)\}", placeholder, text))


def dashboard_metrics() -> list[list]:
    return [
        m
        for w in dashboard()["widgets"]
        if w["type"] == "metric"
        for m in w["properties"]["metrics"]
    ]


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_an_errors_and_a_throttles_alarm(function, metric):
    watching = [
        a for a in alarms_on("AWS/Lambda", metric)
        if a["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
    ]  # fmt: skip
    assert len(watching) == 1


@pytest.mark.parametrize("dlq", DLQS)
def test_every_dead_letter_queue_has_a_depth_alarm(dlq):
    depth = alarms_on("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    queue = {"Fn::GetAtt": [dlq, "QueueName"]}
    assert [a["Threshold"] for a in depth if a["Dimensions"][0]["Value"] == queue] == [0]


@pytest.mark.parametrize("metric,statistic", sorted(BITTEN_ALARMS.items()))
def test_the_platform_alarms_watch_the_metrics_the_code_writes(metric, statistic):
    (alarm,) = alarms_on(metrics.NAMESPACE, metric)
    assert metric in metrics.UNITS
    assert alarm["Dimensions"] == [{"Name": "Stage", "Value": {"Ref": "Stage"}}]
    assert alarm[statistic[0]] == statistic[1]


def test_a_missing_heartbeat_is_stale_while_the_schedules_run():
    (alarm,) = alarms_on(metrics.NAMESPACE, metrics.HEARTBEAT_AGE)
    assert alarm["TreatMissingData"] == {"Fn::If": ["SchedulesOn", "breaching", "notBreaching"]}


def test_every_alarm_notifies_the_alarm_topic():
    assert RESOURCES["AlarmTopic"]["Type"] == "AWS::SNS::Topic"
    silent = [k for k, a in ALARMS.items() if a.get("AlarmActions") != [{"Ref": "AlarmTopic"}]]
    assert silent == []


def test_the_dashboard_shows_every_metric_the_code_writes():
    shown = {m[1] for m in dashboard_metrics() if m[0] == metrics.NAMESPACE}
    assert shown == set(metrics.UNITS)


def test_the_dashboard_shows_latency_percentiles_queues_and_dead_letters():
    latency = [m[-1]["stat"] for m in dashboard_metrics() if m[1] == metrics.FIRE_LATENCY]
    assert latency == ["p50", "p95", "p99"]
    depths = {m[3] for m in dashboard_metrics() if m[0] == "AWS/SQS"}
    assert depths == {f"<{q}.QueueName>" for q in QUEUES + DLQS}
    errors = {m[3] for m in dashboard_metrics() if m[:2] == ["AWS/Lambda", "Errors"]}
    assert errors == {f"<{f}>" for f in FUNCTIONS}
