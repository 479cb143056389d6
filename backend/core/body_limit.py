"""Request bodies over a limit are refused with ``413`` before anything parses them.

An ASGI middleware, outside FastAPI: a declared ``Content-Length`` over the limit is answered
at once; a body sent without one (chunked) is read as it arrives, at most the limit plus one
chunk, and refused when it passes the limit. A body within the limit is handed on as it came.
Starlette has no such limit of its own, and uvicorn's is for the header block only.
"""

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.problems import problem_response

MAX_BODY = 64 * 1024  # the largest real request (a profile, a trip) is under 2 KiB


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _refuse(scope, receive, send, self.limit)
            return
        # Read the body first (bounded by the limit), then hand it on message by message.
        read: list[Message] = []
        size = 0
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                break  # the client went away: the app will see it
            size += len(message.get("body", b""))
            if size > self.limit:
                await _refuse(scope, receive, send, self.limit)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return read.pop(0) if read else await receive()

        await self.app(scope, replay, send)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = problem_response(
        Request(scope),
        413,
        "body_too_large",
        "Request body too large",
        f"A request body may be at most {limit // 1024} KiB.",
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
