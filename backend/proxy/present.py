"""A consent as the resident (with what was done) or the helper sees it."""

from datetime import datetime

from sqlalchemy.orm import Session

from backend.core.security import mask_phone
from backend.models import User
from backend.proxy import crud
from backend.proxy.models import Consent
from backend.proxy.wire import ConsentPublic, PersonPublic, ProxyActionPublic


def person(user: User) -> PersonPublic:
    return PersonPublic(id=user.id, name=user.name, phone_masked=mask_phone(user.phone))


def present_all(
    session: Session, consents: list[Consent], now: datetime, *, with_actions: bool
) -> list[ConsentPublic]:
    actions = crud.actions_of(session, [c.id for c in consents]) if with_actions else {}
    shown = []
    for consent in consents:
        resident = session.get(User, consent.resident_id)
        helper = session.get(User, consent.helper_id)
        assert resident is not None and helper is not None  # foreign keys cascade
        shown.append(
            ConsentPublic(
                id=consent.id,
                state=consent.state(now),
                resident=person(resident),
                helper=person(helper),
                granted_at=consent.granted_at,
                confirmed_at=consent.confirmed_at,
                expires_at=consent.expires_at,
                ended_at=consent.ended_at,
                version=consent.version,
                actions=[
                    ProxyActionPublic(id=a.id, kind=a.kind, at=a.at, target=a.target)
                    for a in actions.get(consent.id, [])
                ],
            )
        )
    return shown


def present(
    session: Session, consent: Consent, now: datetime, *, with_actions: bool
) -> ConsentPublic:
    return present_all(session, [consent], now, with_actions=with_actions)[0]
