"""template.yaml: cfn-lint clean, one function per functions/<name>/, names match Settings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bitten.config import PROJECT_ROOT, load_settings
from bitten.local.aws.template import (
    TEMPLATE_PATH,
    TemplateResolver,
    load_template,
    template_parameters,
)

EXPECTED_FUNCTIONS = {
    "signal_scan": "app.handler",
    "mission_fanout": "app.handler",
    "alert_dispatch": "app.handler",
    "fire_execution": "app.handler",
    "result_sync": "app.handler",
    "trader_upkeep": "app.handler",
    "game_tick": "app.handler",
    "game_dispatch": "app.handler",
    "api": "app.app",
}
SQS_TRIGGERS = {
    "mission_fanout": "SignalsQueue",
    "alert_dispatch": "AlertsQueue",
    "fire_execution": "FiresQueue",
    "game_dispatch": "GameQueue",
}


def functions_by_folder() -> dict[str, dict]:
    """functions/<name>/ -> the template's AWS::Serverless::Function properties."""
    found = {}
    for resource in load_template()["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            props = resource["Properties"]
            found[Path(props["CodeUri"]).name] = props
    return found


def module_level_names(path: Path) -> set[str]:
    """Names a module defines at top level (read with ast: importing would build deps)."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def lint_errors(path: Path) -> list[str]:
    from cfnlint.api import lint_file

    return [
        f"{m.rule.id} {m.message} (line {m.linenumber})"
        for m in lint_file(path)
        if m.rule.severity == "error"
    ]


def test_template_has_no_cfn_lint_errors():
    # Given the SAM template / When cfn-lint checks it (SAM transform included)
    errors = lint_errors(TEMPLATE_PATH)
    # Then it reports no error
    assert errors == []


def test_cfn_lint_check_is_able_to_fail(tmp_path):
    # Given a template with a queue whose visibility timeout is not a number
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        TEMPLATE_PATH.read_text().replace("VisibilityTimeout: 360", "VisibilityTimeout: x")
    )
    # When linted / Then the error is found
    assert any(e.startswith("E3012") for e in lint_errors(bad))


@pytest.mark.parametrize("name", sorted(EXPECTED_FUNCTIONS))
def test_every_function_folder_is_deployed_with_its_handler(name):
    # Given a functions/<name>/ folder the lead has written (skip those still to come)
    app_py = PROJECT_ROOT / "functions" / name / "app.py"
    if not app_py.exists():
        pytest.skip(f"functions/{name}/app.py not written yet")
    # When the template is read
    props = functions_by_folder().get(name)
    # Then a function deploys that folder with the expected handler
    assert props is not None, f"no function with CodeUri functions/{name}/"
    assert props["Handler"] == EXPECTED_FUNCTIONS[name]
    # And app.py defines the object the handler names
    assert props["Handler"].split(".")[1] in module_level_names(app_py)


def test_no_function_points_at_a_folder_outside_the_known_set():
    # Given the template's functions / Then each deploys one of the known folders
    assert set(functions_by_folder()) == set(EXPECTED_FUNCTIONS)


@pytest.mark.parametrize("name,queue", sorted(SQS_TRIGGERS.items()))
def test_queue_triggers_report_partial_batch_failures(name, queue):
    # Given an SQS-triggered function
    events = functions_by_folder()[name]["Events"]
    sqs = [e["Properties"] for e in events.values() if e["Type"] == "SQS"]
    # Then it reads its queue and returns batchItemFailures
    assert [e["Queue"] for e in sqs] == [{"Fn::GetAtt": [queue, "Arn"]}]
    assert sqs[0]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


@pytest.mark.parametrize("name", ["signal_scan", "result_sync", "trader_upkeep", "game_tick"])
def test_scheduled_functions_run_every_minute(name):
    events = functions_by_folder()[name]["Events"].values()
    assert [e["Properties"]["Schedule"] for e in events] == ["rate(1 minute)"]
    # SAM turns an intrinsic in `Enabled` into a constant ENABLED; `State` passes it through
    assert [e["Properties"]["State"] for e in events] == [
        {"Fn::If": ["SchedulesOn", "ENABLED", "DISABLED"]}
    ]


def test_queue_and_table_names_resolve_to_what_settings_expects():
    # Given the template resolved for stage "prod"
    settings = load_settings(bitten_stage="prod", aws_endpoint_url=None)
    template = load_template()
    resolver = TemplateResolver(template_parameters(template, settings))
    names = {
        logical: resolver.resolve(r["Properties"].get("QueueName") or r["Properties"]["TableName"])
        for logical, r in template["Resources"].items()
        if r["Type"] in ("AWS::SQS::Queue", "AWS::DynamoDB::Table")
    }
    # Then queue and table names are the ones the code derives from Settings
    assert names["SignalsQueue"] == settings.queue_name("signals") == "bitten-prod-signals"
    assert names["FiresQueue"] == settings.queue_name("fires") == "bitten-prod-fires.fifo"
    assert names["FiresDlq"] == "bitten-prod-fires-dlq.fifo"
    assert names["FireLockTable"] == settings.fire_lock_table == "bitten-prod-fire-locks"


def test_secret_parameters_are_no_echo():
    params = load_template()["Parameters"]
    secrets = [
        "DatabaseUrl",
        "TelegramBotToken",
        "TelegramWebhookSecret",
        "JwtSecret",
        "ForexVpsToken",
    ]
    assert all(params[p].get("NoEcho") is True for p in secrets)


def test_the_api_resources_are_exactly_the_chalice_routes():
    # Given the Chalice app the api function serves
    from bitten.api.app import create_app

    chalice_paths = set(create_app().routes)
    # When the template's API events are read
    events = functions_by_folder()["api"]["Events"].values()
    template_paths = {e["Properties"]["Path"] for e in events if e["Type"] == "Api"}
    # Then Chalice finds its route under requestContext.resourcePath for each one, and the
    # template advertises no path that nothing serves
    assert chalice_paths == template_paths


def test_layers_build_from_the_root_requirements_and_the_bitten_package():
    # Given the two layer resources
    resources = load_template()["Resources"]
    deps, common = resources["DepsLayer"], resources["CommonLayer"]
    # Then the deps layer installs the root requirements.txt and the common layer ships bitten
    requirements = PROJECT_ROOT / deps["Properties"]["ContentUri"] / "requirements.txt"
    assert requirements.resolve() == (PROJECT_ROOT / "requirements.txt").resolve()
    assert (PROJECT_ROOT / common["Properties"]["ContentUri"] / "bitten" / "__init__.py").exists()
    assert {deps["Metadata"]["BuildMethod"], common["Metadata"]["BuildMethod"]} == {"python3.11"}


def test_requirements_cover_every_runtime_dependency_of_the_package():
    import tomllib

    def names(lines: list[str]) -> set[str]:
        split = (line.split("==")[0].split(">=")[0].split("[")[0] for line in lines)
        return {n.strip().lower().replace("_", "-") for n in split}

    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    lines = (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
    pinned = names([line for line in lines if line and not line.startswith("#")])
    assert names(declared["dependencies"]) <= pinned


def sam_transformed() -> dict:
    """The CloudFormation SAM would deploy (code URIs stubbed: nothing is uploaded)."""
    import json

    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    template = json.loads(json.dumps(load_template()))
    for resource in template["Resources"].values():
        for key in ("CodeUri", "ContentUri"):
            if key in resource.get("Properties", {}):
                resource["Properties"][key] = "s3://bucket/code.zip"
    required = {k: "x" * 32 for k, v in template["Parameters"].items() if "Default" not in v}
    session = boto3.session.Session(
        region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )

    class NoManagedPolicies:
        def load(self) -> dict:
            return {}

    translator = Translator(NoManagedPolicies(), Parser(), boto_session=session)
    return translator.translate(template, required)["Resources"]


def test_sam_transform_wires_queues_schedules_and_api_as_intended():
    pytest.importorskip("samtranslator")
    # When SAM expands the template
    resources = sam_transformed()
    by_type: dict[str, list[dict]] = {}
    for resource in resources.values():
        by_type.setdefault(resource["Type"], []).append(resource["Properties"])
    # Then four SQS mappings report partial failures, the three schedules keep the toggle,
    mappings = by_type["AWS::Lambda::EventSourceMapping"]
    assert [m["FunctionResponseTypes"] for m in mappings] == [["ReportBatchItemFailures"]] * 4
    rules = by_type["AWS::Events::Rule"]
    assert [r["State"] for r in rules] == [{"Fn::If": ["SchedulesOn", "ENABLED", "DISABLED"]}] * 4
    # and the REST API serves the Chalice routes
    assert "/api/missions/{mission_id}/fire" in resources["RestApi"]["Properties"]["Body"]["paths"]
