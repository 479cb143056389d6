"""The trip state machine, as data: which action moves which state, and who may take it.

    open --claim--> claimed --start--> in_progress --complete--> completed
    open|claimed --cancel--> cancelled        claimed --release--> open
    open --(start time passes)--> expired

Claiming has its own answers (``trip_taken``, ``own_trip`` ...; see ``backend.trips.actions``);
everything else is decided here, so the table is the one place to read the rules.
"""

from enum import Enum, StrEnum


class TripState(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class TripAction(StrEnum):
    CLAIM = "claim"
    CANCEL = "cancel"
    START = "start"
    COMPLETE = "complete"
    RELEASE = "release"
    RATE = "rate"


class TripRole(StrEnum):
    """How the caller stands to a trip they may see."""

    RESIDENT = "resident"  # asked for it
    VOLUNTEER = "volunteer"  # is (or was, until completion) going with them
    BYSTANDER = "bystander"  # a verified volunteer looking at an open trip


class Outcome(Enum):
    APPLY = "apply"  # make the change
    ALREADY_DONE = "already_done"  # the same person repeating it: answer with the trip as it is
    FORBIDDEN = "forbidden"  # 403: not this person's action
    ILLEGAL = "illegal"  # 409 illegal_transition


TRANSITIONS: dict[tuple[TripAction, TripState], TripState] = {
    (TripAction.CLAIM, TripState.OPEN): TripState.CLAIMED,
    (TripAction.CANCEL, TripState.OPEN): TripState.CANCELLED,
    (TripAction.CANCEL, TripState.CLAIMED): TripState.CANCELLED,
    (TripAction.START, TripState.CLAIMED): TripState.IN_PROGRESS,
    (TripAction.COMPLETE, TripState.IN_PROGRESS): TripState.COMPLETED,
    (TripAction.RELEASE, TripState.CLAIMED): TripState.OPEN,
}

# Who takes each action (claiming: any verified volunteer but the requester).
ACTORS: dict[TripAction, frozenset[TripRole]] = {
    TripAction.CANCEL: frozenset({TripRole.RESIDENT}),
    TripAction.START: frozenset({TripRole.VOLUNTEER}),
    TripAction.COMPLETE: frozenset({TripRole.VOLUNTEER}),
    TripAction.RELEASE: frozenset({TripRole.VOLUNTEER}),
    TripAction.RATE: frozenset({TripRole.RESIDENT, TripRole.VOLUNTEER}),
}

# States that show the caller already took this action: a retry (say, after a lost response,
# with a new Idempotency-Key) is answered 200, not refused. A trip the volunteer started and
# then completed was started, so a late retry of "start" is not an error either.
ALREADY_DONE: dict[TripAction, frozenset[TripState]] = {
    TripAction.CANCEL: frozenset({TripState.CANCELLED}),
    TripAction.START: frozenset({TripState.IN_PROGRESS, TripState.COMPLETED}),
    TripAction.COMPLETE: frozenset({TripState.COMPLETED}),
}

# A volunteer "holds" a trip in these states: claiming it again is the winner's retry.
HELD = frozenset({TripState.CLAIMED, TripState.IN_PROGRESS, TripState.COMPLETED})

# A trip in these states keeps its volunteer and code word.
WITH_VOLUNTEER = HELD | {TripState.CANCELLED}


def decide(action: TripAction, state: TripState, role: TripRole) -> Outcome:
    """What to do with ``action`` by someone in ``role`` on a trip in ``state`` (not claims)."""
    if action is TripAction.CLAIM:
        raise ValueError("claims are decided by backend.trips.actions.claim")
    if role not in ACTORS[action]:
        return Outcome.FORBIDDEN
    if action is TripAction.RATE:  # once per person is checked against the ratings
        return Outcome.APPLY if state is TripState.COMPLETED else Outcome.ILLEGAL
    if (action, state) in TRANSITIONS:
        return Outcome.APPLY
    if state in ALREADY_DONE.get(action, frozenset()):
        return Outcome.ALREADY_DONE
    return Outcome.ILLEGAL
