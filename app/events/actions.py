"""What the event screens can ask for: sign up, cancel, excuse, check in, ask for a guide, appeal,
and at the door (staff): check people in by code or by name, undo.

Every change goes through the outbox (``services.events.commands``): it shows at once, is sent when the
server can be reached (a door with no signal keeps checking people in), and a refusal comes
back as a spoken sentence (``app.shell``).
"""

from __future__ import annotations

from typing import Any

from app.account.messages import input_error_sentence
from app.events.messages import (
    door_checked_in_sentence,
    door_undone_sentence,
    event_done_sentence,
    event_input_sentence,
    personal_code_sentence,
)
from app.screen_actions import GuidingActions
from app.trips.forms import TripForm
from services.errors import InputError, SunshineError
from services.events.commands import EventCommands, attendee_for_code, door_event, spoken_code
from services.events.states import guide_meets_at


class EventActions(GuidingActions):
    @property
    def _events(self) -> EventCommands:
        return self.ctx.personal.events

    # -- a resident's sign-up -------------------------------------------------------------------

    def sign_up(self, event_id: str) -> None:
        self._queue(lambda: self._events.sign_up(event_id), event_done_sentence("signup"))

    def ask_to_confirm(self, what: str, record_id: str) -> None:
        """``what`` is cancel-signup, excuse or appeal: a second step before anything is sent."""
        self.state.confirming = f"{what}:{record_id}"

    def keep(self) -> None:
        self.state.confirming = None

    def cancel(self, event_id: str) -> None:
        self._queue(lambda: self._events.cancel(event_id), event_done_sentence("cancel"))

    def excuse(self, event_id: str, reason: str) -> None:
        self._queue(
            lambda: self._events.excuse(event_id, reason, None), event_done_sentence("excuse")
        )

    def type_code(self, event_id: str, text: str) -> None:
        self.state.drafts.event_codes[event_id] = text

    def check_in(self, event_id: str) -> None:
        code = self.state.drafts.event_codes.get(event_id, "")
        if self._queue(
            lambda: self._events.check_in(event_id, code), event_done_sentence("checkin")
        ):
            self.state.drafts.event_codes.pop(event_id, None)

    def say_code(self, code: str) -> None:
        sentence = personal_code_sentence(spoken_code(code))
        self._announce(sentence)
        self._speak([sentence])

    def need_guide(self, event: Any, place: str) -> None:
        """Open the trip request filled in for this event: to its place, an hour before."""
        meet_at = guide_meets_at(event)
        self.state.drafts.trip = TripForm.for_event(
            self.state.personal.me, self.clock(), event.id, place, meet_at
        )
        self._go("/trips/new")

    def type_appeal(self, text: str) -> None:
        self.state.drafts.appeal_text = text

    def appeal(self, signup_id: str, reason: str) -> None:
        text = self.state.drafts.appeal_text
        if self._queue(
            lambda: self._events.appeal(signup_id, reason, text), event_done_sentence("appeal")
        ):
            self.state.drafts.appeal_text = ""

    # -- the door (staff) -----------------------------------------------------------------------

    def choose_door_event(self, event_id: str) -> None:
        self.state.events.door_event = event_id
        self.state.events.door_query = ""

    def type_door(self, field: str, text: str) -> None:
        """``field`` is ``door_code`` or ``door_search``; read when a button is pressed."""
        setattr(self.state.drafts, field, text)

    def door_search(self) -> None:
        self.state.events.door_query = self.state.drafts.door_search.strip()

    def show_everyone(self) -> None:
        self.state.events.door_query = self.state.drafts.door_search = ""
        self.state.form_revision += 1  # the search field is drawn empty

    def door_check_in_code(self, event_id: str) -> None:
        """The code typed or scanned at the door: said back with the person's name."""
        text = self.state.drafts.door_code
        entry = door_event(self.state.personal, event_id)
        try:
            if entry is None:
                raise InputError("event", "not_found")
            attendee = attendee_for_code(entry, text)
            self._events.door_check_in(event_id, text)
        except SunshineError as exc:
            self._refused(exc)
            return
        self.state.drafts.door_code = ""
        self.state.form_revision += 1  # the code field is drawn empty for the next person
        self._queued()
        self._tell(door_checked_in_sentence(attendee), queued=True)

    def door_check_in_person(self, event_id: str, attendee: dict[str, Any]) -> None:
        self._queue(
            lambda: self._events.door_check_in_person(event_id, attendee["signup_id"]),
            door_checked_in_sentence(attendee),
        )

    def door_undo(self, event_id: str, attendee: dict[str, Any]) -> None:
        self._queue(
            lambda: self._events.door_undo(event_id, attendee["signup_id"]),
            door_undone_sentence(attendee),
        )

    # -- shared ---------------------------------------------------------------------------------

    def _input_sentence(self, exc: InputError) -> str:
        return event_input_sentence(exc) or input_error_sentence(exc)
