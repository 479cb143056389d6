"""RFC 9457 ``application/problem+json`` errors with a stable machine ``code``.

Every error the API returns has this one shape, so the client maps ``code`` to a localised
sentence without parsing prose:

    ProblemError            raised by routes          -> its own status and code
    HTTPException           404 / 405 from routing    -> not_found / method_not_allowed / http_<n>
    RequestValidationError  bad query, path or body   -> 422 validation_error (+ ``errors``)
    any other Exception     a bug                     -> 500 internal_error (no traceback leaked)

Every 422 carries ``errors`` (empty when a route raised it, e.g. idempotency_key_reused); a JSON
body that is not UTF-8 is a 422 json_invalid like any other malformed JSON; a 405 names in
``Allow`` every method of the path, not just those of the first route that matched.
"""

import math
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:sunshine:problem:"

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class Problem(BaseModel):
    """An RFC 9457 problem detail; ``code`` is the stable, machine-readable part."""

    type: str = Field(description="URI naming the problem type: urn:sunshine:problem:<code>.")
    title: str
    status: int
    detail: str | None = None
    code: str = Field(description="Stable machine code, e.g. cursor_expired, validation_error.")
    instance: str | None = Field(default=None, description="Path of the request that failed.")
    tries_left: int | None = Field(
        default=None,
        description="invalid_code: wrong codes this phone may still send before it is locked.",
    )
    lockout_minutes: int | None = Field(
        default=None, description="invalid_code: how long the lock lasts once it comes."
    )


class ValidationIssue(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationProblem(Problem):
    errors: list[ValidationIssue]


def retry_after(wait: timedelta) -> dict[str, str]:
    """The ``Retry-After`` header for a wait: whole seconds, rounded up, at least one."""
    return {"Retry-After": str(max(1, math.ceil(wait.total_seconds())))}


class ProblemError(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.headers = headers
        self.extra = extra  # RFC 9457 extension members, declared on Problem


def problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    *,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries declaring problem+json bodies for ``statuses``."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        schema = "ValidationProblem" if status == 422 else "Problem"
        responses[status] = {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    return responses


# --- handlers --------------------------------------------------------------------------------


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProblemError)
    # The document promises ``errors`` on every 422 (ValidationProblem); a 422 a route raises
    # itself, such as idempotency_key_reused, is about no one field and lists none.
    extra = {"errors": []} if exc.status == 422 else None
    extra = {**(extra or {}), **(exc.extra or {})} or None
    return problem_response(
        request, exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, extra=extra
    )


async def _on_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    if status == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI reports a JSON body that is not UTF-8 as a bare 400 "error parsing the
        # body"; it is malformed JSON, answered like every other malformed JSON body.
        return _validation_problem(
            request, [{"loc": ["body"], "msg": "JSON decode error", "type": "json_invalid"}]
        )
    title = HTTPStatus(status).phrase
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
    code = _HTTP_CODES.get(status, f"http_{status}")
    headers = exc.headers
    if status == 405 and (allowed := _allowed_methods(request)):
        # Starlette names only the methods of the first route that matched the path; RFC 9110
        # wants every method the resource supports (GET /me and PATCH /me are two routes).
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
    return problem_response(request, status, code, title, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers on this request's path."""
    allowed = []
    for method in _METHODS:
        probe = {
            "type": "http",
            "method": method,
            "path": request.scope["path"],
            "root_path": request.scope.get("root_path", ""),
            "headers": [],
            "query_string": b"",
        }
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only where and why: echoing "input" back could leak what the user typed (ID numbers).
    errors = [
        {
            "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    return _validation_problem(request, errors)


def _validation_problem(request: Request, errors: list[dict[str, Any]]) -> JSONResponse:
    return problem_response(
        request,
        422,
        "validation_error",
        "Request is not valid",
        "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors) or None,
        extra={"errors": errors},
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Starlette re-raises after this response, so the server log still gets the traceback;
    # the client learns nothing about internals.
    return problem_response(request, 500, "internal_error", "Internal Server Error")


def install_problems(app: FastAPI) -> None:
    """Answer every error with problem+json and document the shape in the OpenAPI schema."""
    app.add_exception_handler(ProblemError, _on_problem)
    app.add_exception_handler(StarletteHTTPException, _on_http_exception)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(Exception, _on_unexpected)

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _add_problem_schemas(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_problem_schemas(document: dict[str, Any]) -> dict[str, Any]:
    """Add the schemas ``problem_responses`` refers to; FastAPI only collects route models."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, ValidationIssue, ValidationProblem):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return document
