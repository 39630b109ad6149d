"""Local SQS + DynamoDB: an in-process moto server, provisioned FROM template.yaml."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from threading import Thread
from typing import Any

from bitten.config import PROJECT_ROOT, Settings

TEMPLATE_PATH = PROJECT_ROOT / "template.yaml"
LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
_QUEUE_ATTRIBUTES = (
    "DelaySeconds",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds",
    "VisibilityTimeout",
    "RedrivePolicy",
    "FifoQueue",
    "ContentBasedDeduplication",
    "DeduplicationScope",
    "FifoThroughputLimit",
)
_SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


def local_client(service: str, settings: Settings, endpoint_url: str) -> Any:
    """A boto3 client for the local endpoint with fake credentials (never the environment's)."""
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=settings.aws_default_region,
        **LOCAL_CREDENTIALS,
    )


def dlq_name(settings: Settings, logical: str) -> str:
    """Physical dead-letter queue name of a logical queue (FIFO DLQs keep `.fifo`)."""
    suffix = ".fifo" if settings.queue_name(logical).endswith(".fifo") else ""
    return f"bitten-{settings.bitten_stage}-{logical}-dlq{suffix}"


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """Parse a CloudFormation/SAM YAML file; short tags become {"Ref": ..} / {"Fn::X": ..}."""
    import yaml

    class CfnLoader(yaml.SafeLoader):
        pass

    def construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
        name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if suffix == "GetAtt":
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return {name: value}

    CfnLoader.add_multi_constructor("!", construct_tag)
    return yaml.load(path.read_text(), Loader=CfnLoader)  # a SafeLoader subclass


@dataclass
class TemplateResolver:
    """Resolves the intrinsics the queue/table definitions use, for one stage and region."""

    parameters: dict[str, Any]
    attributes: dict[str, dict[str, str]] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Return `value` with Ref / Fn::Sub / Fn::GetAtt / Fn::Join replaced by strings."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._lookup(arg, "Ref")
            if key == "Fn::GetAtt":
                return self._lookup(arg[0], arg[1])
            if key == "Fn::Sub":
                return self._sub(arg)
            if key == "Fn::Join":
                return str(arg[0]).join(str(p) for p in self.resolve(arg[1]))
            if key.startswith("Fn::"):
                raise ValueError(f"local provisioning does not support {key}")
        return {k: self.resolve(v) for k, v in value.items()}

    def _lookup(self, name: str, attribute: str) -> str:
        if attribute == "Ref" and name in self.parameters:
            return str(self.parameters[name])
        try:
            return self.attributes[name][attribute]
        except KeyError:
            raise ValueError(f"cannot resolve {name}.{attribute} locally") from None

    def _sub(self, arg: Any) -> str:
        text, names = (arg, {}) if isinstance(arg, str) else (arg[0], self.resolve(arg[1]))

        def replace(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref in names:
                return str(names[ref])
            name, _, attribute = ref.partition(".")
            return self._lookup(name, attribute or "Ref")

        return _SUB_VARIABLE.sub(replace, text).replace("${!", "${")


def template_parameters(template: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Parameter defaults, the stage from settings, and the pseudo parameters."""
    params = {k: v["Default"] for k, v in template.get("Parameters", {}).items() if "Default" in v}
    params.update(
        {
            "Stage": settings.bitten_stage,
            "AWS::Region": settings.aws_default_region,
            "AWS::AccountId": "123456789012",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
    )
    return params


@dataclass(frozen=True)
class LocalResources:
    """What provisioning made: queue name -> URL and the table names."""

    queue_urls: dict[str, str]
    tables: list[str]


def provision(
    settings: Settings, endpoint_url: str, template_path: Path = TEMPLATE_PATH
) -> LocalResources:
    """Create (or converge) every SQS queue and DynamoDB table of the template. Idempotent."""
    template = load_template(template_path)
    resolver = TemplateResolver(template_parameters(template, settings))
    resources = template.get("Resources", {})
    queues = [(k, r) for k, r in resources.items() if r["Type"] == "AWS::SQS::Queue"]
    queues.sort(key=lambda item: "RedrivePolicy" in item[1].get("Properties", {}))  # DLQs first
    sqs = local_client("sqs", settings, endpoint_url)
    urls = {}
    for logical, resource in queues:
        name, url = _ensure_queue(sqs, resolver.resolve(resource.get("Properties", {})))
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        resolver.attributes[logical] = {"Ref": url, "Arn": arn["QueueArn"], "QueueName": name}
        urls[name] = url
    dynamodb = local_client("dynamodb", settings, endpoint_url)
    tables = [
        _ensure_table(dynamodb, resolver.resolve(r.get("Properties", {})))
        for r in resources.values()
        if r["Type"] == "AWS::DynamoDB::Table"
    ]
    return LocalResources(urls, tables)


def _queue_attributes(props: dict[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return json.dumps(value) if isinstance(value, dict) else str(value)

    return {k: text(props[k]) for k in _QUEUE_ATTRIBUTES if k in props}


def _ensure_queue(sqs: Any, props: dict[str, Any]) -> tuple[str, str]:
    name, attributes = props["QueueName"], _queue_attributes(props)
    try:
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return name, sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    attributes.pop("FifoQueue", None)  # immutable; set at creation
    sqs.set_queue_attributes(QueueUrl=url, Attributes=attributes)
    return name, url


def _ensure_table(dynamodb: Any, props: dict[str, Any]) -> str:
    name = props["TableName"]
    try:
        dynamodb.describe_table(TableName=name)
    except dynamodb.exceptions.ResourceNotFoundException:
        keys = ("AttributeDefinitions", "KeySchema", "BillingMode")
        dynamodb.create_table(TableName=name, **{k: props[k] for k in keys if k in props})
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        current = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        if current.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            spec = {"AttributeName": ttl["AttributeName"], "Enabled": True}
            dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec)
    return name


class LocalAws:
    """SQS + DynamoDB for `bitten run` and tests: AWS_ENDPOINT_URL if set, else in-process moto."""

    def __init__(self, settings: Settings, template_path: Path = TEMPLATE_PATH) -> None:
        self.settings = settings
        self.template_path = template_path
        self.endpoint_url: str | None = None
        self.resources: LocalResources | None = None
        self._server: Any = None

    def start(self, provision_resources: bool = True) -> str:
        """Start moto on a free 127.0.0.1 port (unless an endpoint is configured); provision."""
        if self.endpoint_url is None:
            self.endpoint_url = self.settings.aws_endpoint_url or self._start_moto()
        if provision_resources:
            self.resources = provision(self.settings, self.endpoint_url, self.template_path)
        return self.endpoint_url

    def _start_moto(self) -> str:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        class QuietHandler(MotoRequestHandler):
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per response

            def log_request(self, *args: Any, **kwargs: Any) -> None:
                """Every SQS poll would otherwise print an access-log line."""

        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
        Thread(target=self._server.serve_forever, name="moto", daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_port}"

    def stop(self) -> None:
        """Stop the moto server this object started (an external endpoint is left alone)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self.endpoint_url = None

    def client(self, service: str) -> Any:
        """A boto3 client bound to the local endpoint."""
        if self.endpoint_url is None:
            raise RuntimeError("LocalAws.start() first")
        return local_client(service, self.settings, self.endpoint_url)

    def queue_url(self, logical: str, dead_letter: bool = False) -> str:
        """URL of a logical queue ("signals", "alerts", "fires") or of its DLQ."""
        name = (
            dlq_name(self.settings, logical) if dead_letter else self.settings.queue_name(logical)
        )
        return self.client("sqs").get_queue_url(QueueName=name)["QueueUrl"]

    def __enter__(self) -> LocalAws:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
