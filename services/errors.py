"""Every failure the client's services raise, as one tree.

    SunshineError
    ├── OfflineError            the request never got an answer: refused, reset, timed out
    │   ├── NotSentError        it never reached the server (connection refused, DNS, connect timeout)
    │   ├── NoAnswerError       it may have reached the server, which may have acted on it
    │   └── BadResponseError    an answer that is not our API's (a captive portal's login page)
    ├── ProblemError            the server answered with RFC 9457 problem+json (or a bare error)
    │   └── CursorExpiredError  410 cursor_expired: the catalogue must be pulled from scratch
    ├── SignedOutError          no valid session any more: the person must sign in again
    └── InputError              what the person typed cannot be sent (checked before sending)

Views map ``ProblemError.code`` to a localised sentence; they never show ``detail`` raw.
"""

from __future__ import annotations


class SunshineError(Exception):
    """Base of every error the services layer raises on purpose."""


class OfflineError(SunshineError):
    """No answer from the server; the action can be retried later."""


class NotSentError(OfflineError):
    """The request never left: resending cannot duplicate anything."""


class NoAnswerError(OfflineError):
    """Sent, but the answer was lost: resend only with the same Idempotency-Key."""


class BadResponseError(OfflineError):
    """A success status with a body that is not the contract's: we are not really online."""


class ProblemError(SunshineError):
    """The server refused or failed a request and said why."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str = "",
        detail: str = "",
        *,
        retry_after: float | None = None,
        tries_left: int | None = None,
        lockout_minutes: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.retry_after = retry_after  # seconds, from a Retry-After header
        # invalid_code: wrong codes left before the phone is locked, and for how long
        self.tries_left = tries_left
        self.lockout_minutes = lockout_minutes

    @property
    def transient(self) -> bool:
        """Worth sending again unchanged: the server is busy, failing or asks us to wait."""
        return (
            self.status >= 500
            or self.status in (408, 429)
            or self.code == "idempotency_in_progress"  # our own earlier attempt is still running
        )


class CursorExpiredError(ProblemError):
    """Our catalogue cursor is no longer served; do a full resync."""


class SignedOutError(SunshineError):
    """The session ended (refresh refused, or never signed in); sign in again."""


class InputError(SunshineError):
    """Input refused before sending; ``code`` names the problem for a localised sentence."""

    def __init__(self, field: str, code: str, **params: int) -> None:
        super().__init__(f"{field}: {code} {params or ''}".rstrip())
        self.field = field
        self.code = code
        self.params = params  # numbers for the sentence, e.g. how many digits were typed
