"""What the trip screens can ask for: request, cancel, claim, start, complete, give back, rate,
register as a volunteer, read messages.

Every change goes through the outbox (``services.trips.commands``): it shows at once, is sent when the
server can be reached, and a refusal comes back as a spoken sentence (``app.shell``). Each
action says how it went in ``state.form_message`` (a live region) and through the announcer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from app.account.messages import input_error_sentence
from app.screen_actions import GuidingActions
from app.trips.forms import (
    TIME_STEP,
    OpenTripFilter,
    TripForm,
    VolunteerDraft,
    offered_days,
    toggled,
)
from app.trips.messages import (
    action_done_sentence,
    code_word_sentence,
    leave_sentence,
    request_review_sentence,
    request_saved_sentence,
    trip_input_sentence,
)
from services.errors import InputError, SunshineError
from services.trips.commands import TripCommands, filter_open_trips
from services.trips.time import default_start, start_at


class TripActions(GuidingActions):
    @property
    def _trips(self) -> TripCommands:
        return self.ctx.personal.trips

    # -- the request form ----------------------------------------------------------------------

    def request_form(self) -> TripForm:
        """The form being filled in, with the person's defaults the first time."""
        drafts = self.state.drafts
        if drafts.trip is None:
            drafts.trip = TripForm.for_person(self.state.personal.me, self.clock())
        return drafts.trip

    def type_into(self, field: str, text: str) -> None:
        """A keystroke: recorded only; the screen is not drawn again (the field shows it)."""
        setattr(self.request_form(), field, text)

    def choose_place(self, field: str, place: str) -> None:
        setattr(self.request_form(), field, place)
        self._redraw()

    def offered_days(self) -> list[date]:
        return offered_days(self.clock())

    def choose_day(self, day: date) -> None:
        self.request_form().day = day
        self._say_when()

    def shift_time(self, steps: int) -> None:
        self.request_form().shift_time(TIME_STEP * steps, default_start(self.clock()))
        self._say_when()

    def time_typed(self) -> None:
        """The time field lost focus or Enter was pressed: say the time in words again, unless
        it is the time already said (Tab passing through the field stays quiet)."""
        if self.request_form().time_text != self.request_form().said_time:
            self._say_when()

    def when_sentence(self) -> str:
        """When the guide is asked for, in words, or why the time typed cannot be used."""
        start, error = self.chosen_start()
        return leave_sentence(start, self.clock()) if start is not None else str(error)

    def review_sentence(self) -> str:
        """The request's chosen parts in words (the form's "check and send")."""
        start, _error = self.chosen_start()
        return request_review_sentence(start, sorted(self.request_form().needs), self.clock())

    def _say_when(self) -> None:
        # Announced, not left to a live region: Orca in Chromium does not read a Flutter live
        # region's new text (heard through Orca), while announcements reach every reader.
        self.request_form().said_time = self.request_form().time_text
        self._redraw()
        self._announce(self.when_sentence())

    def toggle_need(self, need: str) -> None:
        form = self.request_form()
        form.needs = toggled(form.needs, need)
        self._redraw()

    def toggle_changing_district(self) -> None:
        self.state.trips.changing_district = not self.state.trips.changing_district

    def choose_district(self, code: str) -> None:
        self.request_form().district = code
        self.state.trips.changing_district = False
        self._redraw()

    def chosen_start(self) -> tuple[datetime | None, str | None]:
        """The start time the form holds, or the sentence saying why it cannot be used."""
        form = self.request_form()
        try:
            return start_at(form.day, form.time_text, self.clock()), None
        except InputError as exc:
            return None, self._input_sentence(exc)

    def submit_request(self) -> None:
        form = self.request_form()
        try:
            self._trips.request_trip(form.draft())
        except SunshineError as exc:
            self._refused(exc)
            return
        when, _error = self.chosen_start()
        self.state.drafts.trip = None
        self._queued()
        self._go("/trips")
        message = request_saved_sentence(
            when or self.clock(), form.from_place.strip(), form.to_place.strip(), self.clock()
        )
        self._tell(message, queued=True, route="/trips")
        self._speak([message])  # the confirmation is read aloud, not only shown

    # -- a trip's life ---------------------------------------------------------------------------

    def ask_to_confirm(self, what: str, trip_id: str) -> None:
        self.state.confirming = f"{what}:{trip_id}"

    def keep(self) -> None:
        self.state.confirming = None

    def cancel(self, trip_id: str) -> None:
        self._act("cancel", self._trips.cancel_trip, trip_id)

    def claim(self, trip_id: str) -> None:
        self._act("claim", self._trips.claim_trip, trip_id)

    def start(self, trip_id: str) -> None:
        self._act("start", self._trips.start_trip, trip_id)

    def complete(self, trip_id: str) -> None:
        self._act("complete", self._trips.complete_trip, trip_id)

    def release(self, trip_id: str) -> None:
        self._act("release", self._trips.release_trip, trip_id)

    def rate(self, trip_id: str, stars: int) -> None:
        self._act("rate", lambda tid: self._trips.rate_trip(tid, stars), trip_id)

    def say_code_word(self, trip: dict) -> None:
        sentence = code_word_sentence(trip)
        if sentence:
            self._announce(sentence)
            self._speak([sentence])

    # -- volunteering ----------------------------------------------------------------------------

    def volunteer_form(self) -> VolunteerDraft:
        drafts = self.state.drafts
        if drafts.volunteer is None:
            drafts.volunteer = VolunteerDraft.for_person(self.state.personal.me)
        return drafts.volunteer

    def type_volunteer(self, field: str, text: str) -> None:
        setattr(self.volunteer_form(), field, text)

    def toggle_volunteer(self, field: str, value: str) -> None:
        form = self.volunteer_form()
        setattr(form, field, toggled(getattr(form, field), value))
        self._redraw()

    def register(self) -> None:
        try:
            self._trips.register_volunteer(self.volunteer_form().form())
        except SunshineError as exc:
            self._refused(exc)
            return
        self.state.drafts.volunteer = None
        self._queued()
        self._tell(action_done_sentence("register"), queued=True)

    def set_filter(self, new: OpenTripFilter) -> None:
        self.state.trips.open_filter = new

    def open_trips_shown(self, volunteer: dict[str, Any]) -> list[dict[str, Any]]:
        """The open trips the volunteer's chosen filter lets through, now."""
        chosen = self.state.trips.open_filter
        return filter_open_trips(
            self.state.personal.open_trips,
            districts=set(volunteer.get("districts") or []) if chosen.my_districts_only else None,
            within_days=chosen.within_days,
            skills=set(volunteer.get("skills") or []) if chosen.fits_my_skills else None,
            now=self.clock(),
        )

    # -- messages --------------------------------------------------------------------------------

    def mark_read(self, up_to_id: int) -> None:
        try:
            self._trips.mark_notifications_read(up_to_id)
        except SunshineError as exc:
            self._refused(exc)
            return
        self._queued()

    # -- shared ----------------------------------------------------------------------------------

    def _act(self, what: str, action: Callable[[str], str], trip_id: str) -> None:
        self._queue(lambda: action(trip_id), action_done_sentence(what))

    def _input_sentence(self, exc: InputError) -> str:
        return trip_input_sentence(exc) or input_error_sentence(exc)

    def _redraw(self) -> None:
        self.state.form_revision += 1
