"""HTTP client for the backend contract (DESIGN.md §3). The transport is a seam for tests."""

from __future__ import annotations

import email.utils
import functools
import ssl
import time
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from services.errors import (
    BadResponseError,
    CursorExpiredError,
    NoAnswerError,
    NotSentError,
    OfflineError,
    ProblemError,
)

API_PREFIX = "/api/v1"

M = TypeVar("M", bound=BaseModel)
# A server asking us to wait longer than this is misconfigured; we try again after an hour.
LONGEST_RETRY_AFTER = 3600.0


class CatalogChange(BaseModel):
    kind: str
    id: str
    version: int
    deleted: bool
    data: dict[str, Any] | None = None


class CatalogChanges(BaseModel):
    changes: list[CatalogChange]
    next_cursor: str
    has_more: bool


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    expires_in: int = 0

    def __repr__(self) -> str:  # tokens must never reach a log through a repr
        return "TokenPair(<redacted>)"

    __str__ = __repr__


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: Any
    headers: httpx.Headers


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The verifying TLS context every client of this process shares: loading the CA bundle
    costs ~25 ms of CPU, which httpx would otherwise spend on each client it makes (one per
    browser session on the web server)."""
    return httpx.create_ssl_context()


class ApiClient:
    """One httpx.Client per backend; every call returns a model or raises a SunshineError."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + API_PREFIX,
            timeout=timeout,
            transport=transport,
            verify=tls_context(),
            headers={"Accept": "application/json, application/problem+json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def health(self) -> dict[str, Any]:
        return self._get("/health")

    def catalog_changes(self, cursor: str | None, limit: int = 500) -> CatalogChanges:
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        body = self._get("/catalog/changes", params=params)
        try:
            return CatalogChanges.model_validate(body)
        except ValidationError as exc:
            raise BadResponseError(f"catalogue page does not match the contract: {exc}") from exc

    # -- sign-in ------------------------------------------------------------------------------

    def request_code(self, phone: str, key: str) -> dict[str, Any]:
        return self.call("POST", "/auth/code", json={"phone": phone}, key=key).body

    def exchange_code(self, phone: str, code: str, key: str) -> TokenPair:
        body = self.call("POST", "/auth/token", json={"phone": phone, "code": code}, key=key).body
        return _model(TokenPair, body, "/auth/token")

    def refresh(self, refresh_token: str, key: str) -> TokenPair:
        body = self.call(
            "POST", "/auth/refresh", json={"refresh_token": refresh_token}, key=key
        ).body
        return _model(TokenPair, body, "/auth/refresh")

    def logout(self, pair: TokenPair, *, timeout: float | None = None) -> None:
        """POST /auth/logout: the server forgets this sign-in's tokens (204). The refresh
        token goes too, so a sign-in whose access token has expired still ends."""
        self.call(
            "POST",
            "/auth/logout",
            json={"refresh_token": pair.refresh_token},
            token=pair.access_token,
            timeout=timeout,
        )

    # -- any call -----------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        token: str | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
    ) -> ApiResponse:
        """One request; ``key`` becomes the Idempotency-Key. Raises a SunshineError on failure.

        ``timeout`` (seconds) replaces the client's for this request only."""
        sent_headers = dict(headers or {})
        if token is not None:
            sent_headers["Authorization"] = f"Bearer {token}"
        if key is not None:
            sent_headers["Idempotency-Key"] = key
        try:
            extra: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
            response = self._http.request(method, path, json=json, headers=sent_headers, **extra)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise NotSentError(str(exc) or type(exc).__name__) from exc
        except httpx.TransportError as exc:  # read/write timeouts, resets, protocol drops
            raise NoAnswerError(str(exc) or type(exc).__name__) from exc
        _refuse_redirect(response, path)
        if not response.is_success:
            raise _problem(response)
        if response.status_code == 204 or not response.content:
            return ApiResponse(response.status_code, None, response.headers)
        try:
            return ApiResponse(response.status_code, response.json(), response.headers)
        except ValueError as exc:
            raise BadResponseError(f"{path}: answer is not JSON") from exc

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        try:
            response = self._http.get(path, params=params)
        except httpx.TransportError as exc:  # connect, read, timeouts, protocol drops
            raise OfflineError(str(exc) or type(exc).__name__) from exc
        _refuse_redirect(response, path)
        if response.is_success:
            try:
                return response.json()
            except ValueError as exc:
                raise BadResponseError(f"{path}: answer is not JSON") from exc
        raise _problem(response)


def _refuse_redirect(response: httpx.Response, path: str) -> None:
    """Our API never redirects: a 3xx comes from a captive portal (or a proxy) sending us to its
    login page. That is no answer from the server, and no refusal: retry later, never reject."""
    if 300 <= response.status_code < 400:
        raise BadResponseError(f"{path}: redirected ({response.status_code}), not our API")


def _model(model: type[M], body: Any, path: str) -> M:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise BadResponseError(f"{path}: answer does not match the contract") from exc


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float
        return min(float(value), LONGEST_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    wait = when.timestamp() - (time.time() if now is None else now)
    return min(max(0.0, wait), LONGEST_RETRY_AFTER)


def _problem(response: httpx.Response) -> ProblemError:
    """Turn an error response into the right ProblemError, problem+json or not."""
    code, title, detail = f"http_{response.status_code}", response.reason_phrase, ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("code") or code)
    title = str(body.get("title") or title)
    detail = str(body.get("detail") or "")
    error_type = CursorExpiredError if code == "cursor_expired" else ProblemError
    return error_type(
        response.status_code,
        code,
        title,
        detail,
        retry_after=retry_after_seconds(response.headers.get("retry-after")),
        tries_left=_count(body.get("tries_left")),
        lockout_minutes=_count(body.get("lockout_minutes")),
    )


def _count(value: object) -> int | None:
    """A problem's count member, when it is one (a server may send anything)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
