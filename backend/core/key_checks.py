"""Which keys a database was sealed with: a check value per key id, so a server started with
another key file under the same ids (a second process given the wrong file, a restored backup
with a new file) refuses to start instead of sealing rows no other process can open.

The check value is HMAC-SM3 of a constant under a key derived for this purpose
(``FieldCipher.check_value``): it says whether two files hold the same key and reveals nothing
of it.
"""

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from backend.core.keys import KeyFileError
from backend.core.sealed import session_cipher
from backend.crud import lock_feed
from backend.models import Base
from backend.seed import begin_write


class KeyCheck(Base):
    __tablename__ = "key_checks"

    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    check_value: Mapped[str] = mapped_column(String(64))


def check_key_file(session: Session) -> None:
    """Refuse (KeyFileError) a key the database knows under its id with another value; record
    the keys it does not know yet. Commits."""
    cipher = session_cipher(session)
    begin_write(session)
    lock_feed(session)  # processes starting together take turns here
    known = dict(session.execute(select(KeyCheck.key_id, KeyCheck.check_value)).all())
    for key_id in cipher.key_ids():
        value = cipher.check_value(key_id)
        if key_id not in known:
            session.add(KeyCheck(key_id=key_id, check_value=value))
        elif known[key_id] != value:
            session.rollback()
            raise KeyFileError(
                f"the key file's key {key_id!r} is not the key this database was sealed with: "
                "give this server the same SUNSHINE_KEY_FILE as the others"
            )
    session.commit()
