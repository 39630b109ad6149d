"""What every operator action route shares: the operator check, the JSON body, and errors a
person can act on (bad input 400, unknown target 404, a missing part 503)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Chalice, Response
from pydantic import BaseModel, ValidationError

from bitten.api.auth import current, operator
from bitten.api.responses import error, json_response
from bitten.domain.operator import UnknownTarget
from bitten.services.deps import ApiDeps
from bitten.services.operator.queues import QueuesUnavailable

M = TypeVar("M", bound=BaseModel)


def body_of(app: Chalice, model: type[M]) -> M:
    """The JSON body as `model`; ValueError (a 400) when it is not one."""
    try:
        return model.model_validate(json.loads(current(app).raw_body or b"{}"))
    except ValidationError as err:
        raise ValueError(validation_text(err)) from None


def validation_text(err: ValidationError) -> str:
    """Each field pydantic refused and why, on one line."""
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())


def operator_call(
    app: Chalice, deps: Callable[[], ApiDeps], usage: str, act: Callable[[ApiDeps, str], Any]
) -> Response:
    """Check the operator, run `act(deps, who)`, and answer its result or the error."""
    d = deps()
    who = operator(app, d)
    if isinstance(who, Response):
        return who
    try:
        result = act(d, who)
    except UnknownTarget as err:
        return error(404, str(err))
    except ValueError as err:  # pydantic's ValidationError is one too
        said = validation_text(err) if isinstance(err, ValidationError) else str(err)
        return error(400, f"{usage}: {said}" if usage else said)
    except QueuesUnavailable as err:
        return error(503, str(err))
    return result if isinstance(result, Response) else json_response(_json(result))


def _json(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    return result
