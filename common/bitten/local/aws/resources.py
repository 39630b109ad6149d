"""Local SQS + DynamoDB: an in-process moto server, provisioned FROM template.yaml."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from threading import Thread
from typing import Any

from bitten.config import Settings
from bitten.local.aws.template import (
    TEMPLATE_PATH,
    TemplateResolver,
    load_template,
    template_parameters,
)

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


def local_client(service: str, settings: Settings, endpoint_url: str) -> Any:
    """A boto3 client for the local endpoint with fake credentials (never the environment's)."""
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=settings.aws_default_region,
        **LOCAL_CREDENTIALS,
    )


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

        from bitten.local.aws import moto_speed

        moto_speed.install()

        class QuietHandler(MotoRequestHandler):
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per response
            protocol_version = "HTTP/1.1"  # keep-alive: no new TCP connection per call

            def log_request(self, *args: Any, **kwargs: Any) -> None:
                """Every SQS poll would otherwise print an access-log line."""

        class Dispatcher(DomainDispatcherApplication):
            """moto lists its package folder (a listdir and ~200 stats) twice per request to
            find the backend of a host; the answer for a host never changes, so ask once."""

            def __init__(self, create_app: Any) -> None:
                super().__init__(create_app)
                self.backend_of: dict[str | None, Any] = {}

            def get_backend_for_host(self, host: str | None) -> Any:
                if host not in self.backend_of:
                    self.backend_of[host] = super().get_backend_for_host(host)
                return self.backend_of[host]

        app = Dispatcher(create_backend_app)
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
        name = self.settings.queue_name(logical, dead_letter)
        return self.client("sqs").get_queue_url(QueueName=name)["QueueUrl"]

    def __enter__(self) -> LocalAws:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
