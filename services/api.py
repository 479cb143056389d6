"""HTTP client for the backend contract (DESIGN.md §3). The transport is a seam for tests."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from services.errors import BadResponseError, CursorExpiredError, OfflineError, ProblemError

API_PREFIX = "/api/v1"


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

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        try:
            response = self._http.get(path, params=params)
        except httpx.TransportError as exc:  # connect, read, timeouts, protocol drops
            raise OfflineError(str(exc) or type(exc).__name__) from exc
        if response.is_success:
            try:
                return response.json()
            except ValueError as exc:
                raise BadResponseError(f"{path}: answer is not JSON") from exc
        raise _problem(response)


def _problem(response: httpx.Response) -> ProblemError:
    """Turn an error response into the right ProblemError, problem+json or not."""
    code, title, detail = f"http_{response.status_code}", response.reason_phrase, ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code = str(body.get("code") or code)
        title = str(body.get("title") or title)
        detail = str(body.get("detail") or "")
    error_type = CursorExpiredError if code == "cursor_expired" else ProblemError
    return error_type(response.status_code, code, title, detail)
