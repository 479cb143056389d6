"""Signing up for community events, end to end: residents and staff, each with their own client,
on the REAL backend over HTTP (EventCommands → outbox → sender; what each sees is their
PersonalData view after a refresh, and the catalogue after a pull).

Sign-up shows at once as being sent, then confirmed or waitlisted; a cancellation gives the place
to the first on the wait-list, who sees it after a refresh and is told; the event's own code
checks the attendee in; a guide trip to the event that the volunteer gives back excuses the
absence automatically.
"""

from __future__ import annotations

from datetime import timedelta

from event_client_support import (
    MakeClient,
    aunt_client,  # noqa: F401 (a fixture)
    clock_at_ten,  # noqa: F401 (a fixture)
    create_event,
    li_client,  # noqa: F401 (a fixture)
    notified,
    pull,
    server_signup,
    staff_client,  # noqa: F401 (a fixture)
    sync,
    verified_volunteer,
)
from sync_support import BackendServer

from backend.core.clock import FakeClock
from backend.demo_users import RESIDENT_PHONE
from services.catalog import Catalog
from services.client import PersonalServices
from services.clock import SHANGHAI
from services.events.commands import door_event, my_signup, spoken_code, upcoming_signups
from services.trips.commands import TripDraft
from services.trips.time import parse_instant


def test_a_sign_up_shows_at_once_then_confirmed_or_waitlisted(
    staff: PersonalServices,
    aunt: PersonalServices,
    li: PersonalServices,
    clock: FakeClock,
    backend: BackendServer,
):
    event = create_event(staff, clock.now + timedelta(days=1), capacity=1)
    event_id = event["id"]
    for client in (aunt, li):
        pull(client)
    listed = Catalog(aunt.personal.store).event(event_id)
    assert listed is not None and (listed.places_left, listed.capacity) == (1, 1)
    assert "event_code" not in listed.model_dump()  # the door code is never public

    signup_id = aunt.events.sign_up(event_id)
    sending = my_signup(aunt.personal.view(), event_id)
    assert sending is not None
    assert (sending["id"], sending["state"], sending["sending"]) == (signup_id, "sending", True)
    assert sending["event_title"] == "阳光之家茶话会"
    sync(aunt, sent=1)

    mine = my_signup(aunt.personal.view(), event_id)
    assert mine is not None and "sending" not in mine
    assert (mine["id"], mine["state"], mine["waitlist_position"]) == (signup_id, "confirmed", None)
    assert len(mine["personal_code"]) == 6 and mine["personal_code"].isdigit()
    assert server_signup(backend, signup_id).state == "confirmed"  # the client's UUID
    assert [s["id"] for s in upcoming_signups(aunt.personal.view(), clock.now)] == [signup_id]

    li.events.sign_up(event_id)
    sync(li, sent=1)
    queued = my_signup(li.personal.view(), event_id)
    assert queued is not None
    assert (queued["state"], queued["waitlist_position"]) == ("waitlisted", 1)

    pull(aunt)
    counted = Catalog(aunt.personal.store).event(event_id)
    assert counted is not None
    assert (counted.confirmed, counted.waitlisted, counted.places_left) == (1, 1, 0)


def test_a_cancellation_gives_the_place_to_the_first_waitlisted(
    staff: PersonalServices, aunt: PersonalServices, li: PersonalServices, clock: FakeClock
):
    event_id = create_event(staff, clock.now + timedelta(days=1), capacity=1)["id"]
    for client in (aunt, li):
        pull(client)
        client.events.sign_up(event_id)
        sync(client, sent=1)
    assert my_signup(li.personal.view(), event_id)["state"] == "waitlisted"

    aunt.events.cancel(event_id)
    assert my_signup(aunt.personal.view(), event_id)["state"] == "cancelled"  # at once
    sync(aunt, sent=1)
    assert my_signup(aunt.personal.view(), event_id)["state"] == "cancelled"

    li.personal.refresh()
    promoted = my_signup(li.personal.view(), event_id)
    assert promoted is not None
    assert (promoted["state"], promoted["waitlist_position"]) == ("confirmed", None)
    [told] = notified(li, "event_promoted", event_id)
    assert told["data"]["title"] == "阳光之家茶话会"

    # Signing up again puts her at the end of the queue, on the same row.
    pull(aunt)
    aunt.events.sign_up(event_id)
    sync(aunt, sent=1)
    again = my_signup(aunt.personal.view(), event_id)
    assert (again["state"], again["waitlist_position"]) == ("waitlisted", 1)


def test_the_events_code_checks_the_attendee_in(
    staff: PersonalServices, aunt: PersonalServices, clock: FakeClock, backend: BackendServer
):
    event_id = create_event(staff, clock.now + timedelta(minutes=30))["id"]
    pull(aunt)
    signup_id = aunt.events.sign_up(event_id)
    sync(aunt, sent=1)
    staff.personal.refresh()
    entry = door_event(staff.personal.view(), event_id)
    assert entry is not None
    code = entry["event_code"]

    wrong = "0000" if code != "0000" else "1111"
    refused_id = aunt.events.check_in(event_id, wrong)
    result = aunt.sender.drain()
    assert (result.sent, result.rejected) == (0, 1)
    owner = aunt.account.owner()
    assert owner is not None
    [refusal] = aunt.outbox.take_rejections(owner)
    assert (refusal.id, refusal.code) == (refused_id, "code_wrong")  # the client's code too

    aunt.events.check_in(event_id, spoken_code(code))  # typed as it was read out: "20 47"
    shown = my_signup(aunt.personal.view(), event_id)
    assert (shown["checked_in_at"], shown["attendance"], shown["sending"]) == (
        clock.now.isoformat(),
        "attended",
        True,
    )
    sync(aunt, sent=1)
    mine = my_signup(aunt.personal.view(), event_id)
    assert parse_instant(mine["checked_in_at"]) == clock.now
    assert mine["attendance"] == "attended"
    assert server_signup(backend, signup_id).checked_in_at == clock.now

    staff.personal.refresh()
    entry = door_event(staff.personal.view(), event_id)
    assert entry["counts"]["checked_in"] == 1


def test_a_guide_trip_given_back_excuses_the_absence(
    staff: PersonalServices,
    aunt: PersonalServices,
    make_client: MakeClient,
    backend: BackendServer,
    clock: FakeClock,
):
    start = clock.now + timedelta(hours=3)
    event_id = create_event(staff, start)["id"]
    pull(aunt)
    aunt.events.sign_up(event_id)
    sync(aunt, sent=1)

    leave = (start - timedelta(minutes=30)).astimezone(SHANGHAI)
    draft = TripDraft(
        from_place="黄浦区示例路 100 弄",
        to_place="阳光之家",
        day=leave.date(),
        time_text=f"{leave.hour}:{leave.minute:02d}",
        district="310101",
        needs=["sighted_guide"],
        contact_phone=RESIDENT_PHONE,
        event_id=event_id,
    )
    trip_id = aunt.trips.request_trip(draft)
    assert my_signup(aunt.personal.view(), event_id)["guide_trip_id"] == trip_id  # at once
    sync(aunt, sent=1)
    assert my_signup(aunt.personal.view(), event_id)["guide_trip_id"] == trip_id
    [trip] = [t for t in aunt.personal.view().trips if t["id"] == trip_id]
    assert trip["event_id"] == event_id

    wang = verified_volunteer(make_client, backend, clock)
    wang.trips.claim_trip(trip_id)
    sync(wang, sent=1)
    wang.trips.release_trip(trip_id)
    sync(wang, sent=1)

    aunt.personal.refresh()
    excused = my_signup(aunt.personal.view(), event_id)
    assert excused is not None and excused["state"] == "confirmed"  # still coming, if she can
    assert excused["excuse"]["reason"] == "escort_failed"
    assert excused["excuse"]["auto"] is True
    assert notified(aunt, "event_excused", event_id)
