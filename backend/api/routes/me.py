"""The signed-in user's own profile and records; nobody else's are reachable from here.

Every query filters by the current user, so another user's row answers exactly like a missing
one (404 ``not_found``) and never reveals that it exists.
"""

import re
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from fastapi.responses import JSONResponse

from backend import crud
from backend.api.deps import ChangeDep, CurrentUserDep
from backend.api.own_lists import add_own_list_route
from backend.core.problems import ProblemError, problem_responses
from backend.models import (
    ROW_ID_MAX,
    ActivityList,
    ActivityPublic,
    BenefitList,
    BenefitPublic,
    InboxItemPublic,
    InboxList,
    InboxReply,
    MePatch,
    MePublic,
    ServiceRecordList,
    ServiceRecordPublic,
    User,
    VisitList,
    VisitPublic,
)

router = APIRouter(prefix="/me", tags=["me"])

_ETAG = re.compile(r'(?:W/)?"(\d{1,18})"')


def etag(user: User) -> str:
    return f'"{user.version}"'


def _me_response(user: User) -> JSONResponse:
    return JSONResponse(
        MePublic.of(user).model_dump(mode="json"),
        headers={"ETag": etag(user), "Cache-Control": "private, no-cache"},
    )


@router.get(
    "",
    response_model=MePublic,
    responses=problem_responses(401, 500),
    summary="My profile (ETag: its version)",
)
def read_me(user: CurrentUserDep) -> Response:
    return _me_response(user)


@router.patch(
    "",
    response_model=MePublic,
    responses=problem_responses(401, 409, 412, 422, 428, 500),
    summary="Change my contact fields and facts",
    description=(
        "Only `address`, `emergency_contact` and `facts`; any other field is `422`. `facts` is "
        "merged: each fact given is set (or forgotten, with null), the others are kept; "
        "`birth_date` comes from the ID number and cannot be set. Requires "
        '`If-Match: "<version>"` from GET /me: missing is `428 precondition_required`, stale is '
        "`412 precondition_failed` (reload and reapply)."
    ),
)
def patch_me(
    body: MePatch,
    change: ChangeDep,
    if_match: Annotated[str | None, Header(description='"<version>" from the ETag')] = None,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        if if_match is None:
            raise ProblemError(
                428,
                "precondition_required",
                "If-Match required",
                'Send If-Match with the ETag from GET /me, e.g. If-Match: "3".',
            )
        tags = [t.strip() for t in if_match.split(",")]
        if "*" not in tags and etag(user) not in tags and f"W/{etag(user)}" not in tags:
            if not all(_ETAG.fullmatch(t) for t in tags):
                raise ProblemError(
                    428, "precondition_required", "If-Match required", 'Use If-Match: "<version>".'
                )
            raise ProblemError(
                412,
                "precondition_failed",
                "Profile changed meanwhile",
                "Your profile was changed elsewhere; reload it and apply your change again.",
                headers={"ETag": etag(user)},
            )
        for field in body.model_fields_set:
            if field == "facts":
                if body.facts is not None:
                    crud.merge_facts(user, body.facts.model_dump(mode="json", exclude_unset=True))
            else:
                setattr(user, field, getattr(body, field))
        user.version += 1
        crud.record_activity(
            session,
            user,
            "profile_changed",
            target=",".join(sorted(body.model_fields_set)),
            request_key=idem.key,
            now=now,
        )
        session.flush()
        return _me_response(user)

    return change.run(effect)


add_own_list_route(
    router,
    "/service-records",
    "read_service_records",
    ServiceRecordList,
    crud.list_service_records,
    ServiceRecordPublic.model_validate,
    "My service applications",
)
add_own_list_route(
    router,
    "/visits",
    "read_visits",
    VisitList,
    crud.list_visits,
    VisitPublic.model_validate,
    "Visits and follow-ups (访客记录)",
)
add_own_list_route(
    router,
    "/benefits",
    "read_benefits",
    BenefitList,
    crud.list_benefits,
    BenefitPublic.model_validate,
    "Benefits granted without applying (免申即享)",
)
add_own_list_route(
    router,
    "/inbox",
    "read_inbox",
    InboxList,
    crud.list_inbox,
    InboxItemPublic.model_validate,
    "Policies pushed to me (政策找人)",
)
add_own_list_route(
    router,
    "/activity",
    "read_activity",
    ActivityList,
    crud.list_activity,
    ActivityPublic.of,
    "What my account did, newest first",
    "Every change made through this account, written with the change itself.",
)


@router.post(
    "/inbox/{item_id}/reply",
    response_model=InboxItemPublic,
    responses=problem_responses(401, 404, 409, 422, 500),
    summary="Answer a pushed policy",
    description="A later reply replaces the earlier one. Someone else's item is `404 not_found`.",
)
def reply_inbox(
    item_id: Annotated[int, Path(ge=1, le=ROW_ID_MAX)],
    body: InboxReply,
    change: ChangeDep,
) -> Response:
    user, session, now, idem = change.user, change.session, change.now, change.idem

    def effect() -> Response:
        item = crud.get_own_inbox_item(session, user.id, item_id)
        if item is None:
            raise ProblemError(404, "not_found", "Not Found", "No such inbox item.")
        item.answer = body.answer
        item.answer_note = body.note
        item.answered_at = now
        crud.record_activity(
            session, user, "inbox_replied", target=str(item.id), request_key=idem.key, now=now
        )
        session.flush()
        return JSONResponse(InboxItemPublic.model_validate(item).model_dump(mode="json"))

    return change.run(effect)
