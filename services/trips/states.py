"""Which step a person may take on a trip, by the trip's state and their part in it.

The client's copy of the server's state machine (``backend/trips/states.py``), asked by the
screens before they offer a button; the server still decides, and a late refusal is spoken.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Step = Literal["cancel", "rate", "start", "complete", "release"]

ACTIVE = frozenset({"open", "claimed", "in_progress"})  # still to happen, or happening

# (my part in the trip, step) -> the states it may be taken in
STEPS: dict[tuple[str, str], frozenset[str]] = {
    ("resident", "cancel"): frozenset({"open", "claimed"}),  # while nobody is on the way
    ("volunteer", "start"): frozenset({"claimed"}),
    ("volunteer", "release"): frozenset({"claimed"}),
    ("volunteer", "complete"): frozenset({"in_progress"}),
}


def role(trip: Mapping[str, Any]) -> str:
    """ "volunteer" on a trip I guide, else "resident" (I asked for it)."""
    return "volunteer" if trip.get("my_role") == "volunteer" else "resident"


def is_active(trip: Mapping[str, Any]) -> bool:
    return trip.get("state") in ACTIVE


def can(trip: Mapping[str, Any], step: Step) -> bool:
    """Whether this step is offered on this trip to me."""
    if step == "rate":  # either side, once, after the trip
        return trip.get("state") == "completed" and not trip.get("my_rating")
    return trip.get("state") in STEPS.get((role(trip), step), frozenset())
