"""Every failure the client's services raise, as one tree.

    SunshineError
    ├── OfflineError            the request never got an answer: refused, reset, timed out
    │   └── BadResponseError    an answer that is not our API's (a captive portal's login page)
    └── ProblemError            the server answered with RFC 9457 problem+json (or a bare error)
        └── CursorExpiredError  410 cursor_expired: the catalogue must be pulled from scratch

Views map ``ProblemError.code`` to a localised sentence; they never show ``detail`` raw.
"""

from __future__ import annotations


class SunshineError(Exception):
    """Base of every error the services layer raises on purpose."""


class OfflineError(SunshineError):
    """No answer from the server; the action can be retried later."""


class BadResponseError(OfflineError):
    """A success status with a body that is not the contract's: we are not really online."""


class ProblemError(SunshineError):
    """The server refused or failed a request and said why."""

    def __init__(self, status: int, code: str, title: str = "", detail: str = "") -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail


class CursorExpiredError(ProblemError):
    """Our catalogue cursor is no longer served; do a full resync."""
