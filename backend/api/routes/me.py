"""The signed-in user's own profile and records; nobody else's are reachable from here.

Every query filters by the current user, so another user's row answers exactly like a missing
one (404 ``not_found``) and never reveals that it exists.
"""

import re
from typing import Annotated

from fastapi import APIRouter, Header, Path, Response
from fastapi.responses import JSONResponse

from backend import crud
from backend.api.deps import ChangeDep, CurrentUserDep, SessionDep
from backend.core.problems import ProblemError, problem_responses
from backend.models import (
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


@router.get(
    "/service-records",
    response_model=ServiceRecordList,
    responses=problem_responses(401, 500),
    summary="My service applications",
)
def read_service_records(user: CurrentUserDep, session: SessionDep) -> ServiceRecordList:
    rows = crud.list_service_records(session, user.id)
    return ServiceRecordList(items=[ServiceRecordPublic.model_validate(r) for r in rows])


@router.get(
    "/visits",
    response_model=VisitList,
    responses=problem_responses(401, 500),
    summary="Visits and follow-ups (访客记录)",
)
def read_visits(user: CurrentUserDep, session: SessionDep) -> VisitList:
    rows = crud.list_visits(session, user.id)
    return VisitList(items=[VisitPublic.model_validate(r) for r in rows])


@router.get(
    "/benefits",
    response_model=BenefitList,
    responses=problem_responses(401, 500),
    summary="Benefits granted without applying (免申即享)",
)
def read_benefits(user: CurrentUserDep, session: SessionDep) -> BenefitList:
    rows = crud.list_benefits(session, user.id)
    return BenefitList(items=[BenefitPublic.model_validate(r) for r in rows])


@router.get(
    "/inbox",
    response_model=InboxList,
    responses=problem_responses(401, 500),
    summary="Policies pushed to me (政策找人)",
)
def read_inbox(user: CurrentUserDep, session: SessionDep) -> InboxList:
    rows = crud.list_inbox(session, user.id)
    return InboxList(items=[InboxItemPublic.model_validate(r) for r in rows])


@router.get(
    "/activity",
    response_model=ActivityList,
    responses=problem_responses(401, 500),
    summary="What my account did, newest first",
    description="Every change made through this account, written with the change itself.",
)
def read_activity(user: CurrentUserDep, session: SessionDep) -> ActivityList:
    rows = crud.list_activity(session, user.id)
    return ActivityList(items=[ActivityPublic.of(r) for r in rows])


@router.post(
    "/inbox/{item_id}/reply",
    response_model=InboxItemPublic,
    responses=problem_responses(401, 404, 409, 422, 500),
    summary="Answer a pushed policy",
    description="A later reply replaces the earlier one. Someone else's item is `404 not_found`.",
)
def reply_inbox(
    item_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
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
