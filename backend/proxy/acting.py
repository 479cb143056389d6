"""``X-Act-For: <consent id>``: a helper's request made as the resident who consented.

``resolve`` runs in ``backend.api.deps.get_current_user``: the consent must be the token user's,
active and unexpired, and the route one a helper may use (by its template, not the URL); the
route then sees the *resident* (their roles: a clerk acting for someone has no staff powers).

Every change allowed while acting is recorded as a ``proxy_actions`` row in the change's own
transaction: ``resolve`` leaves an ``ActingFor`` in ``session.info`` and
``backend.idempotency.run_idempotent`` calls ``record`` after the route's effect succeeded and
before it commits. A refused or rolled-back change therefore records nothing, and an idempotent
replay (which runs no effect) nothing new. ``record`` checks the consent again inside that write
transaction, so a withdrawal that commits between the check and the change still wins.
"""

from dataclasses import dataclass
from datetime import datetime

from fastapi import Request, Response
from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.core.on_behalf import mark_on_behalf
from backend.models import ActivityEntry, User
from backend.proxy import crud, errors
from backend.proxy.models import ConsentState, ProxyKind

HEADER = "X-Act-For"
SESSION_KEY = "sunshine_acting_for"
_API = "/api/v1"  # stripped where the route's template includes the prefix it is mounted under

# Changes a helper may make for the resident, by (method, route template): what is recorded.
ALLOWED_CHANGES: dict[tuple[str, str], ProxyKind] = {
    ("PATCH", "/me"): ProxyKind.PROFILE_EDIT,
    ("POST", "/me/inbox/{item_id}/reply"): ProxyKind.INBOX_REPLY,
    ("POST", "/me/notifications/read"): ProxyKind.NOTIFICATIONS_READ,
    ("POST", "/trips"): ProxyKind.TRIP_REQUEST,
    ("POST", "/trips/{trip_id}/cancel"): ProxyKind.TRIP_CANCEL,
    ("POST", "/trips/{trip_id}/rate"): ProxyKind.TRIP_RATE,
    ("POST", "/events/{event_id}/signups"): ProxyKind.EVENT_SIGNUP,
    ("DELETE", "/events/{event_id}/signups/me"): ProxyKind.EVENT_CANCEL,
    ("POST", "/events/{event_id}/checkin"): ProxyKind.EVENT_CHECKIN,
    ("POST", "/events/{event_id}/signups/me/excuse"): ProxyKind.EVENT_EXCUSE,
    ("POST", "/me/attendance/{signup_id}/appeal"): ProxyKind.EVENT_APPEAL,
}
# Reads a helper may make for the resident, by route template: what the resident has as a
# resident. Anything else (the consents themselves, volunteering, the door, and any route
# added later until it is listed here) is refused. The trips and notifications among these
# show only the resident's own requests (backend.core.on_behalf).
ALLOWED_READS = frozenset(
    {
        "/me",
        "/me/activity",
        "/me/attendance",
        "/me/benefits",
        "/me/inbox",
        "/me/notifications",
        "/me/service-records",
        "/me/signups",
        "/me/visits",
        "/trips/mine",
        "/trips/{trip_id}",
    }
)
READS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class ActingFor:
    """What a change made while acting records; plain values (the dependency's session is
    rolled back before the route runs)."""

    consent_id: str
    helper_id: int
    resident_id: int
    kind: ProxyKind
    target: dict[str, str]
    request_key: str | None
    at: datetime


def route_template(request: Request) -> str:
    """The matched route's template below /api/v1, e.g. ``/events/{event_id}/signups``.

    FastAPI sets ``scope["route"]`` to the route as declared on its router (older releases: as
    copied into the app, with the include prefix); both come out the same here.
    """
    route = request.scope.get("route")
    path = getattr(route, "path", "") or ""
    return path.removeprefix(_API)


def resolve(
    request: Request, session: Session, helper: User, consent_id: str, now: datetime
) -> User:
    """The resident ``helper`` acts for in this request; a problem if they may not."""
    consent = crud.get_consent(session, consent_id.strip())
    if consent is None or consent.helper_id != helper.id:
        raise errors.consent_not_found()
    state = consent.state(now)
    if state is not ConsentState.ACTIVE:
        raise errors.consent_stopped(state.value)
    template = route_template(request)
    mark_on_behalf(session)
    if request.method in READS:
        if template not in ALLOWED_READS:
            raise errors.not_on_behalf()
    else:
        kind = ALLOWED_CHANGES.get((request.method, template))
        if kind is None:
            raise errors.not_on_behalf()
        session.info[SESSION_KEY] = ActingFor(
            consent_id=consent.id,
            helper_id=helper.id,
            resident_id=consent.resident_id,
            kind=kind,
            target={k: str(v) for k, v in request.path_params.items()},
            request_key=request.headers.get("idempotency-key"),
            at=now,
        )
    resident = session.get(User, consent.resident_id)
    if resident is None:  # pragma: no cover - the foreign key cascades
        raise errors.consent_not_found()
    return resident


def record(session: Session, _response: Response) -> None:
    """After a change made while acting succeeded, in its transaction: check the consent once
    more, write the record, and name the helper as the actor of the activity entries written."""
    acting = session.info.get(SESSION_KEY)
    if not isinstance(acting, ActingFor):
        return
    consent = crud.get_consent(session, acting.consent_id)
    if consent is None:  # pragma: no cover - consents are never deleted
        raise errors.consent_not_found()
    session.refresh(consent)  # as committed now, inside this write transaction
    state = consent.state(acting.at)
    if state is not ConsentState.ACTIVE:
        raise errors.consent_stopped(state.value)
    for entry in session.new:
        if isinstance(entry, ActivityEntry) and entry.user_id == acting.resident_id:
            entry.actor_user_id = acting.helper_id
    if acting.request_key is not None:  # entries the route flushed already carry its key
        session.execute(
            update(ActivityEntry)
            .where(
                ActivityEntry.user_id == acting.resident_id,
                ActivityEntry.request_key == acting.request_key,
            )
            .values(actor_user_id=acting.helper_id)
            .execution_options(synchronize_session=False)
        )
    crud.record_action(
        session,
        acting.consent_id,
        acting.helper_id,
        acting.resident_id,
        acting.kind.value,
        acting.target,
        acting.request_key,
        acting.at,
    )
    session.flush()
