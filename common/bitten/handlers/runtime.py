"""Lambda glue shared by every function: cached deps, SQS batches with partial failures."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from bitten import logs

if TYPE_CHECKING:
    from bitten.config import Settings

M = TypeVar("M", bound=BaseModel)
D = TypeVar("D")
Handler = Callable[[dict[str, Any], Any], Any]
log = logs.get("handler")


def lazy_handler(
    make_handler: Callable[[D], Handler], build_deps: Callable[[Settings], D]
) -> Handler:
    """Build settings and deps on the first invocation (nothing at import), then reuse them.
    Logs go to stderr and, in batches, to Postgres; metrics to stdout as EMF."""
    built: list[Handler] = []

    def handler(event: dict[str, Any], context: Any) -> Any:
        if not built:
            from bitten import bootstrap, metrics
            from bitten.config import load_settings

            settings = load_settings()
            logs.configure(settings.log_level)
            bootstrap.install_log_sink(settings)
            metrics.configure(settings.bitten_stage)
            built.append(make_handler(build_deps(settings)))
        return built[0](event, context)

    return invoked(handler)


def invoked(handler: Handler, function: str = "") -> Handler:
    """Every log line of an invocation names its function and request id (the Lambda
    context's, else `function` and a new id); the log handlers are flushed at its end."""

    def wrapper(event: dict[str, Any], context: Any) -> Any:
        name = getattr(context, "function_name", None) or function or "local"
        with logs.invocation(name, getattr(context, "aws_request_id", None)):
            return handler(event, context)

    return wrapper


def sqs_batch(model: type[M], work: Callable[[M, str], Any], name: str) -> Handler:
    """Run `work(message, message_id)` per record; failures are reported, never re-run the batch."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
        failures = []
        for record in event.get("Records", []):
            message_id = record.get("messageId", "")
            try:
                work(model.model_validate(json.loads(record["body"])), message_id)
            except (ValidationError, json.JSONDecodeError, KeyError) as err:
                log.error("%s: malformed message %s: %s", name, message_id, err)
                failures.append({"itemIdentifier": message_id})
            except Exception:  # noqa: BLE001 - one bad message must not fail its batch
                log.exception("%s: message %s failed", name, message_id)
                failures.append({"itemIdentifier": message_id})
        return {"batchItemFailures": failures}

    return handler


def sqs_batch_together(model: type[M], work: Callable[[list[M]], set[int]], name: str) -> Handler:
    """Validate every record, hand the valid ones to `work` together; `work` returns the
    indexes (into its list) that failed. Malformed records fail on their own."""

    def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
        valid: list[tuple[str, M]] = []
        failures = []
        for record in event.get("Records", []):
            message_id = record.get("messageId", "")
            try:
                valid.append((message_id, model.model_validate(json.loads(record["body"]))))
            except (ValidationError, json.JSONDecodeError, KeyError) as err:
                log.error("%s: malformed message %s: %s", name, message_id, err)
                failures.append({"itemIdentifier": message_id})
        try:
            failed = work([m for _, m in valid]) if valid else set()
        except Exception:  # noqa: BLE001 - the batch is retried, nothing was half-recorded
            log.exception("%s: batch of %d failed", name, len(valid))
            failed = set(range(len(valid)))
        failures += [{"itemIdentifier": valid[i][0]} for i in sorted(failed)]
        return {"batchItemFailures": failures}

    return handler
