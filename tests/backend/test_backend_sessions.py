"""Sessions know when they hold a connection: what lets a request's session be closed on the
event loop, without a worker thread, when it has nothing to give back (``get_session``)."""

from fastapi import FastAPI

from backend import crud
from backend.core.db import holds_connection, writer
from backend.models import User


def test_a_session_holds_a_connection_only_while_a_transaction_runs_on_one(app: FastAPI):
    """What lets a request's session be closed without a worker thread (``get_session``)."""
    sessions = app.state.session_factory
    with sessions(bind=writer(app.state.engine)) as session:
        assert not holds_connection(session)
        user = crud.get_or_create_user(session, "13900001111")
        session.flush()
        assert holds_connection(session)
        with session.begin_nested():
            user.name = "李四"
        assert holds_connection(session), "a savepoint's end is not the transaction's"
        session.commit()
        assert not holds_connection(session)
        user_id = user.id
    with sessions() as reader, sessions() as other:
        found = reader.get(User, user_id)
        assert holds_connection(reader)
        other.merge(found, load=False)
        assert other.in_transaction() and not holds_connection(other), "no query yet"
        reader.rollback()
        assert not holds_connection(reader)
