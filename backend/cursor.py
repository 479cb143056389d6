"""Change-feed cursors: ``"<epoch>.<seq>"`` or ``"<epoch>.<seq>.<floor>"``, opaque to clients.

* ``epoch`` ties a cursor to one database, so a cursor from a recreated or different database is
  recognised (and expired) instead of silently skipping or repeating changes.
* ``seq``: the client holds every change up to here.
* ``floor`` (only while it exceeds ``seq``): the purge horizon when this chain of pages started
  from no cursor. Tombstones at or below it were purged before the client began, so it never
  held those items; without this, paging through a full pull after a purge would expire itself.
"""

import re
from dataclasses import dataclass

_SEQ = r"0|[1-9][0-9]{0,17}"
_CURSOR = re.compile(rf"(?P<epoch>[0-9a-f]{{8,64}})\.(?P<seq>{_SEQ})(?:\.(?P<floor>{_SEQ}))?")


@dataclass(frozen=True)
class Cursor:
    epoch: str
    seq: int
    floor: int = 0

    @property
    def covered_seq(self) -> int:
        """Deletions up to here are either delivered or irrelevant to this client."""
        return max(self.seq, self.floor)

    def encode(self) -> str:
        if self.floor > self.seq:
            return f"{self.epoch}.{self.seq}.{self.floor}"
        return f"{self.epoch}.{self.seq}"


def decode_cursor(token: str) -> Cursor:
    """Parse a cursor token; raises ValueError when it is not one we could have issued."""
    match = _CURSOR.fullmatch(token)
    if match is None:
        raise ValueError(f"malformed cursor: {token[:80]!r}")
    return Cursor(epoch=match["epoch"], seq=int(match["seq"]), floor=int(match["floor"] or 0))
