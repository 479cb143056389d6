"""ApiClient.call (services/api.py): what went wrong decides what the outbox may do next.

* never sent (connect refused, connect/pool timeout) -> ``NotSentError``: resend freely;
* sent, answer lost (read timeout, reset, protocol drop) -> ``NoAnswerError``: resend only
  with the same Idempotency-Key;
* the server answered with an error -> ``ProblemError`` with its code, its Retry-After, and
  whether sending it again unchanged can help (``transient``).

Faults are injected with ``httpx.MockTransport``: a handler that raises is a network failure.
"""

from __future__ import annotations

import email.utils
import time
import traceback
from collections.abc import Callable

import httpx
import pytest

from services.api import ApiClient, TokenPair, retry_after_seconds
from services.errors import (
    BadResponseError,
    NoAnswerError,
    NotSentError,
    OfflineError,
    ProblemError,
    SunshineError,
)

Handler = Callable[[httpx.Request], httpx.Response]
PROBLEM = {"content-type": "application/problem+json"}


def client_answering(handler: Handler) -> ApiClient:
    return ApiClient("http://backend.test", transport=httpx.MockTransport(handler))


def raising(error: type[httpx.TransportError]) -> Handler:
    def handle(request: httpx.Request) -> httpx.Response:
        raise error("injected", request=request)

    return handle


def problem(status: int, code: str | None, headers: dict[str, str] | None = None) -> Handler:
    body = {"type": "about:blank", "title": "t", "status": status, "detail": "d"}
    if code is not None:
        body["code"] = code
    return lambda request: httpx.Response(status, json=body, headers={**PROBLEM, **(headers or {})})


def call_error(handler: Handler) -> SunshineError:
    with pytest.raises(SunshineError) as caught:
        client_answering(handler).call("POST", "/trips", json={"a": 1}, key="k-1", token="t")
    return caught.value


# -- network failures ---------------------------------------------------------------------------


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_a_request_that_never_left_is_not_sent(error: type[httpx.TransportError]):
    raised = call_error(raising(error))
    assert type(raised) is NotSentError
    assert isinstance(raised, OfflineError)
    assert isinstance(raised.__cause__, error)


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout,
        httpx.ReadError,
        httpx.RemoteProtocolError,
        httpx.WriteTimeout,
        httpx.WriteError,
        httpx.CloseError,
    ],
)
def test_a_request_whose_answer_was_lost_is_no_answer(error: type[httpx.TransportError]):
    raised = call_error(raising(error))
    assert type(raised) is NoAnswerError
    assert isinstance(raised, OfflineError)
    assert isinstance(raised.__cause__, error)


def test_a_dropped_connection_after_the_request_is_no_answer():
    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )

    assert type(call_error(drop)) is NoAnswerError


def test_the_error_message_is_never_empty():
    def silent(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("", request=request)

    assert str(call_error(silent)) == "ReadTimeout"


# -- answers that are errors --------------------------------------------------------------------


def test_503_with_retry_after_seconds_is_transient_and_says_when():
    raised = call_error(problem(503, "unavailable", {"Retry-After": "7"}))
    assert isinstance(raised, ProblemError)
    assert (raised.status, raised.code, raised.retry_after) == (503, "unavailable", 7.0)
    assert raised.transient


def test_429_with_an_http_date_retry_after_is_transient_and_says_when():
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    raised = call_error(problem(429, "rate_limited", {"Retry-After": when}))
    assert isinstance(raised, ProblemError)
    assert raised.transient
    assert raised.retry_after is not None and 100 < raised.retry_after <= 120


def test_a_bare_error_without_problem_json_still_has_a_code_and_retry_after():
    raised = call_error(lambda r: httpx.Response(503, text="busy", headers={"Retry-After": "3"}))
    assert isinstance(raised, ProblemError)
    assert (raised.code, raised.title, raised.retry_after) == ("http_503", "Service Unavailable", 3)
    assert raised.transient


@pytest.mark.parametrize(
    ("status", "code", "transient"),
    [
        (500, "internal_error", True),
        (502, None, True),
        (503, "unavailable", True),
        (504, None, True),
        (408, None, True),
        (429, "rate_limited", True),
        (409, "idempotency_in_progress", True),  # our own earlier attempt is still running
        (409, "trip_taken", False),
        (409, None, False),
        (412, "precondition_failed", False),
        (422, "validation_error", False),
        (422, "idempotency_key_reused", False),
        (404, "not_found", False),
        (403, "forbidden", False),
        (401, "invalid_token", False),
        (400, None, False),
    ],
)
def test_which_problems_are_worth_sending_again(status: int, code: str | None, transient: bool):
    raised = call_error(problem(status, code))
    assert isinstance(raised, ProblemError)
    assert (raised.status, raised.code) == (status, code or f"http_{status}")
    assert raised.transient is transient
    assert raised.retry_after is None


def test_409_in_progress_carries_the_servers_retry_after():
    raised = call_error(problem(409, "idempotency_in_progress", {"Retry-After": "1"}))
    assert isinstance(raised, ProblemError)
    assert (raised.transient, raised.retry_after) == (True, 1.0)


def test_a_success_that_is_not_json_is_a_bad_response():
    raised = call_error(lambda r: httpx.Response(200, text="<html>Wi-Fi login</html>"))
    assert type(raised) is BadResponseError


def test_no_content_is_an_empty_body():
    api = client_answering(lambda r: httpx.Response(204))
    assert api.call("DELETE", "/events/1/signups/me").body is None


# -- Retry-After ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("0", 0.0),
        ("7", 7.0),
        (" 7 ", 7.0),
        ("120", 120.0),
        ("1.5", None),  # delta-seconds are whole numbers
        ("-5", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: now
        ("Wed, 21 Oct 2015 07:29:00 GMT", 60.0),
        ("Wed, 21 Oct 2015 07:28:00 +0000", 0.0),
        ("Wed, 32 Oct 2015 07:28:00 GMT", None),
        ("9" * 400, 3600.0),  # absurd waits are capped at an hour, never infinity
        ("Thu, 01 Jan 2037 00:00:00 GMT", 3600.0),
    ],
)
def test_retry_after_seconds(value: str | None, seconds: float | None):
    now = 1445412480.0  # Wed, 21 Oct 2015 07:28:00 GMT
    assert retry_after_seconds(value, now=now) == seconds


@pytest.mark.parametrize("value", ["\u00b2", "\u00b9", "\u00b3"])
def test_retry_after_with_latin1_superscript_digits_is_unreadable_not_a_crash(value: str):
    # httpx decodes header bytes it cannot read as UTF-8 as Latin-1, so a broken proxy's
    # byte b"\xb2" arrives as "²" -- which str.isdigit() accepts and float() refuses.
    assert retry_after_seconds(value) is None


def test_a_garbled_retry_after_header_still_gives_a_problem_error():
    raised = call_error(
        lambda r: httpx.Response(503, text="busy", headers=[(b"Retry-After", b"\xb2")])
    )
    assert isinstance(raised, ProblemError) and raised.retry_after is None


# -- what is sent ---------------------------------------------------------------------------------


def test_the_token_and_the_idempotency_key_are_sent_as_headers():
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True})

    api = client_answering(record)
    answer = api.call(
        "PATCH",
        "/me",
        json={"address": "新地址"},
        token="tok-123",
        key="3f0c9a52-0000-4000-8000-000000000000",
        headers={"If-Match": '"4"'},
    )

    assert answer.status == 200 and answer.body == {"ok": True}
    [request] = seen
    assert (request.method, request.url.path) == ("PATCH", "/api/v1/me")
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert request.headers["Idempotency-Key"] == "3f0c9a52-0000-4000-8000-000000000000"
    assert request.headers["If-Match"] == '"4"'
    assert "application/problem+json" in request.headers["Accept"]
    assert request.read().decode() == '{"address":"新地址"}'


def test_no_token_and_no_key_means_no_such_headers():
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client_answering(record).call("GET", "/catalog/changes")
    [request] = seen
    assert "Authorization" not in request.headers
    assert "Idempotency-Key" not in request.headers


def test_the_same_key_is_sent_on_every_attempt():
    keys: list[str] = []

    def lose_first(request: httpx.Request) -> httpx.Response:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            raise httpx.ReadTimeout("lost", request=request)
        return httpx.Response(201, json={"id": 1})

    api = client_answering(lose_first)
    with pytest.raises(NoAnswerError):
        api.call("POST", "/trips", json={}, key="key-1")
    assert api.call("POST", "/trips", json={}, key="key-1").status == 201
    assert keys == ["key-1", "key-1"]


# -- tokens never show through a repr ---------------------------------------------------------


def test_a_token_pair_never_shows_its_tokens():
    pair = TokenPair(access_token="ACCESS-SECRET", refresh_token="REFRESH-SECRET", expires_in=900)
    shown = [
        repr(pair),
        str(pair),
        f"{pair}",
        f"{pair!r}",
        "%s %r" % (pair, pair),  # noqa: UP031 -- how logging formats its args
        repr([pair]),
        repr({"tokens": pair}),
    ]
    for text in shown:
        assert "SECRET" not in text, text
    assert repr(pair) == "TokenPair(<redacted>)"


def test_exchanged_tokens_are_parsed_but_not_shown():
    api = client_answering(
        lambda r: httpx.Response(
            200, json={"access_token": "A-SECRET", "refresh_token": "R-SECRET", "expires_in": 900}
        )
    )
    pair = api.exchange_code("13800000001", "246810", key="k")
    assert (pair.access_token, pair.refresh_token, pair.expires_in) == ("A-SECRET", "R-SECRET", 900)
    assert "SECRET" not in repr(pair)


def test_a_malformed_token_answer_does_not_put_the_token_in_the_error():
    access = "A" * 43  # the server's tokens: secrets.token_urlsafe(32)
    api = client_answering(lambda r: httpx.Response(200, json={"access_token": access}))
    with pytest.raises(BadResponseError) as caught:
        api.exchange_code("13800000001", "246810", key="k")
    assert access not in str(caught.value) and access not in repr(caught.value)
    # and not in the traceback a crash handler would log (pydantic shortens the input it shows)
    assert access not in "".join(traceback.format_exception(caught.value))
