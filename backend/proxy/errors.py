"""The problems acting on behalf answers with; each code is a sentence on the client."""

from datetime import timedelta

from backend.core.problems import ProblemError, retry_after


def consent_code_invalid() -> ProblemError:
    # One answer for wrong, expired and used codes: which one it was would help a guesser.
    return ProblemError(
        409,
        "consent_code_invalid",
        "Consent code not valid",
        "The code is wrong, expired or used; ask the resident for a new one.",
    )


def own_consent() -> ProblemError:
    return ProblemError(
        409, "own_consent", "Your own code", "This code is yours; give it to your helper."
    )


def too_many_attempts(remaining: timedelta) -> ProblemError:
    return ProblemError(
        429,
        "too_many_attempts",
        "Too many wrong codes",
        "Too many wrong consent codes; try again after the Retry-After delay.",
        headers=retry_after(remaining),
    )


def redeeming_paused(remaining: timedelta) -> ProblemError:
    return ProblemError(
        429,
        "redeeming_paused",
        "Consent codes paused",
        "Too many wrong consent codes across the service; try again after the Retry-After delay.",
        headers=retry_after(remaining),
    )


def consent_not_found() -> ProblemError:
    return ProblemError(404, "consent_not_found", "No such consent", "No such consent of yours.")


def consent_stopped(state: str) -> ProblemError:
    """403 ``consent_pending`` / ``consent_withdrawn`` / ``consent_ended`` /
    ``consent_expired``."""
    titles = {
        "pending": "The resident has not confirmed this consent on their own device yet.",
        "withdrawn": "The resident withdrew the consent.",
        "ended": "This consent was ended.",
        "expired": "This consent has expired.",
    }
    return ProblemError(403, f"consent_{state}", "Consent not active", titles[state])


def not_on_behalf() -> ProblemError:
    return ProblemError(
        403,
        "not_on_behalf",
        "Not while acting for someone",
        "This cannot be done for another person; send it without X-Act-For.",
    )
