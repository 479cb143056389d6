"""Whether this request is a helper's, acting for someone (``X-Act-For``).

``backend.proxy.acting.resolve`` marks the request's session; the code that chooses what to
show then gives the helper only what the person has as a resident: the trips they asked for
and the notifications about them, never their work as a volunteer (a blind resident's name,
phone and code word) or as staff. Here, not in ``backend.proxy``, so trips and notifications
can ask without importing the consent machinery.
"""

from sqlalchemy.orm import Session

_KEY = "sunshine_on_behalf"


def mark_on_behalf(session: Session) -> None:
    session.info[_KEY] = True


def on_behalf(session: Session) -> bool:
    return bool(session.info.get(_KEY))
