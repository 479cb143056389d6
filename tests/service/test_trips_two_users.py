"""助盲出行 end to end: a resident and volunteers, each with their own client, on the REAL backend.

Every action goes through the client's outbox (TripCommands) and the sender, over real HTTP; what
each person sees is their PersonalData view after a refresh. The server may stop and come back
(``backend.stop()`` / ``backend.start()``): actions taken meanwhile wait in the outbox and are
sent when it is back, and a claim another volunteer won in the meantime comes back refused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sync_support import DEV_CODE, BackendServer, FlakyTransport
from sync_support import send_and_refresh as sync

from backend.demo_users import RESIDENT_PHONE
from backend.trips.models import Trip
from services.client import PersonalServices
from services.clock import SHANGHAI
from services.sync.outbox import OutboxStatus
from services.sync.sender import DrainStop
from services.trips.commands import (
    TripDraft,
    VolunteerForm,
    my_requests,
    my_volunteering,
    unread_notifications,
)

MakeClient = Callable[..., PersonalServices]

# Two volunteers who sign up in the test (dev mode verifies a registration at once).
VOLUNTEERS = {
    "wang": ("13900001111", "王志愿", "31010119850615018X"),
    "zhao": ("13900002222", "赵志愿", "440524188001010014"),
}


def signed_in(make_client: MakeClient, backend: BackendServer, phone: str, name: str):
    client = make_client(backend.url, name=name)
    client.account.sign_in(phone, DEV_CODE)
    client.personal.refresh()
    return client


@pytest.fixture
def aunt(make_client: MakeClient, backend: BackendServer) -> PersonalServices:
    """The demo resident 张阿姨."""
    return signed_in(make_client, backend, RESIDENT_PHONE, "aunt")


def volunteer(make_client: MakeClient, backend: BackendServer, who: str) -> PersonalServices:
    """A new user who registers as a volunteer through the outbox and is verified."""
    phone, real_name, id_number = VOLUNTEERS[who]
    client = signed_in(make_client, backend, phone, who)
    assert client.personal.view().volunteer is None  # 404 not_registered
    form = VolunteerForm(
        real_name=real_name,
        id_number=id_number,
        phone=phone,
        skills=["sighted_guide", "wheelchair", "sign_language"],
        districts=["310101", "310104"],
        availability=["weekend"],
    )
    client.trips.register_volunteer(form)
    assert client.personal.view().volunteer["status"] == "pending"  # shown at once
    sync(client)
    registered = client.personal.view().volunteer
    assert registered is not None and registered["status"] == "verified"
    assert registered["id_number"] == id_number[:3] + "*" * 11 + id_number[-4:]
    return client


@pytest.fixture
def wang(make_client: MakeClient, backend: BackendServer) -> PersonalServices:
    return volunteer(make_client, backend, "wang")


@pytest.fixture
def zhao(make_client: MakeClient, backend: BackendServer) -> PersonalServices:
    return volunteer(make_client, backend, "zhao")


def draft(days_ahead: int = 2, **changes: Any) -> TripDraft:
    day = (datetime.now(SHANGHAI) + timedelta(days=days_ahead)).date()
    fields: dict[str, Any] = {
        "from_place": "黄浦区示例路 100 弄",
        "to_place": "瑞金医院",
        "day": day,
        "time_text": "14点30",
        "district": "310101",
        "needs": ["sighted_guide"],
        "contact_phone": RESIDENT_PHONE,
        "notes": "我拿白手杖",
        **changes,
    }
    return TripDraft(**fields)


def shown(client: PersonalServices, trip_id: str) -> dict[str, Any] | None:
    return next((t for t in client.personal.view().trips if t["id"] == trip_id), None)


def open_ids(client: PersonalServices) -> set[str]:
    return {t["id"] for t in client.personal.view().open_trips}


def notified(client: PersonalServices, trip_id: str) -> list[str]:
    """Kinds of the person's notifications about this trip, oldest first."""
    items = client.personal.view().notifications
    return [n["kind"] for n in reversed(items) if n["trip_id"] == trip_id]


def asked(aunt: PersonalServices, **changes: Any) -> str:
    trip_id = aunt.trips.request_trip(draft(**changes))
    sync(aunt, sent=1)
    return trip_id


def server_trips(backend: BackendServer, trip_id: str) -> int:
    with backend.session() as session:
        return session.scalar(select(func.count()).select_from(Trip).where(Trip.id == trip_id))


# -- the whole journey --------------------------------------------------------------------------


def test_a_trip_from_request_to_ratings(
    aunt: PersonalServices, wang: PersonalServices, backend: BackendServer
):
    trip_id = aunt.trips.request_trip(draft())
    mine = shown(aunt, trip_id)
    assert mine is not None
    assert (mine["state"], mine["my_role"], mine["sending"]) == ("open", "resident", True)
    sync(aunt, sent=1)
    mine = shown(aunt, trip_id)
    assert mine is not None and "sending" not in mine
    assert (mine["state"], mine["resident_name"], mine["notes"]) == ("open", "张阿姨", "我拿白手杖")
    start = datetime.fromisoformat(mine["start_at"]).astimezone(SHANGHAI)
    assert (start.hour, start.minute) == (14, 30)  # 14点30, Shanghai time

    # The volunteer sees it open, without the resident's name or phone.
    wang.personal.refresh()
    [offered] = [t for t in wang.personal.view().open_trips if t["id"] == trip_id]
    assert (offered["my_role"], offered["resident_name"], offered["contact_phone"]) == (
        None,
        None,
        None,
    )

    wang.trips.claim_trip(trip_id)
    claiming = shown(wang, trip_id)
    assert claiming is not None and trip_id not in open_ids(wang)
    assert (claiming["state"], claiming["my_role"], claiming["code_word"]) == (
        "claimed",
        "volunteer",
        None,
    )
    sync(wang, sent=1)

    # Both see the code word and each other.
    guiding = shown(wang, trip_id)
    aunt.personal.refresh()
    waiting = shown(aunt, trip_id)
    assert guiding is not None and waiting is not None
    assert guiding["code_word"] and guiding["code_word"] == waiting["code_word"]
    assert (guiding["resident_name"], guiding["contact_phone"]) == ("张阿姨", RESIDENT_PHONE)
    assert waiting["volunteer"] == {"name": "王志愿", "phone": VOLUNTEERS["wang"][0]}
    assert waiting["state"] == "claimed"
    assert [t["id"] for t in my_volunteering(wang.personal.view().trips)] == [trip_id]
    assert trip_id in {t["id"] for t in my_requests(aunt.personal.view().trips)}

    wang.trips.start_trip(trip_id)
    sync(wang, sent=1)
    wang.trips.complete_trip(trip_id)
    sync(wang, sent=1)
    assert shown(wang, trip_id)["state"] == "completed"

    aunt.personal.refresh()
    aunt.trips.rate_trip(trip_id, 5, "很细心")
    assert shown(aunt, trip_id)["my_rating"] == {"stars": 5, "comment": "很细心"}
    sync(aunt, sent=1)
    wang.trips.rate_trip(trip_id, 4)
    sync(wang, sent=1)
    aunt.personal.refresh()

    done = shown(aunt, trip_id)
    assert done is not None
    assert done["state"] == "completed"
    assert done["code_word"] == guiding["code_word"]  # kept after completion
    assert done["my_rating"] == {"stars": 5, "comment": "很细心"}
    assert done["rating_of_me"] == {"stars": 4, "comment": None}
    assert shown(wang, trip_id)["rating_of_me"] == {"stars": 5, "comment": "很细心"}

    # The resident was told at every step; reading marks them read, at once and on the server.
    assert notified(aunt, trip_id) == ["trip_claimed", "trip_started", "trip_completed"]
    claimed = next(n for n in aunt.personal.view().notifications if n["kind"] == "trip_claimed")
    assert claimed["data"]["code_word"] == guiding["code_word"]
    assert claimed["data"]["volunteer_name"] == "王志愿"
    assert "volunteer_verified" in {n["kind"] for n in wang.personal.view().notifications}

    unread = unread_notifications(aunt.personal.view().notifications)
    assert len(unread) >= 3
    aunt.trips.mark_notifications_read(max(n["id"] for n in unread))
    assert unread_notifications(aunt.personal.view().notifications) == []
    sync(aunt, sent=1)
    assert unread_notifications(aunt.personal.view().notifications) == []  # the server's too
    assert server_trips(backend, trip_id) == 1


def test_a_cancelled_trip_is_cancelled_for_the_volunteer_too(
    aunt: PersonalServices, wang: PersonalServices
):
    trip_id = asked(aunt)
    wang.personal.refresh()
    wang.trips.claim_trip(trip_id)
    sync(wang, sent=1)
    aunt.personal.refresh()

    aunt.trips.cancel_trip(trip_id)
    assert shown(aunt, trip_id)["state"] == "cancelled"
    sync(aunt, sent=1)
    assert shown(aunt, trip_id)["state"] == "cancelled"

    wang.personal.refresh()
    assert notified(wang, trip_id) == ["trip_cancelled"]
    gone = shown(wang, trip_id)
    assert gone is None or gone["state"] == "cancelled"
    assert trip_id not in open_ids(wang)


def test_a_released_trip_is_open_again_for_another_volunteer(
    aunt: PersonalServices, wang: PersonalServices, zhao: PersonalServices
):
    trip_id = asked(aunt)
    wang.personal.refresh()
    wang.trips.claim_trip(trip_id)
    sync(wang, sent=1)
    first_word = shown(wang, trip_id)["code_word"]

    wang.trips.release_trip(trip_id)
    releasing = shown(wang, trip_id)
    assert (releasing["state"], releasing["code_word"], releasing["sending"]) == (
        "open",
        None,
        True,
    )
    result = wang.sender.drain()
    assert (result.sent, result.rejected) == (1, 0)
    assert shown(wang, trip_id) is None  # released: no longer his (the answer settled it)
    assert trip_id in open_ids(wang)
    wang.personal.refresh()
    assert shown(wang, trip_id) is None and trip_id in open_ids(wang)

    zhao.personal.refresh()
    assert trip_id in open_ids(zhao)
    zhao.trips.claim_trip(trip_id)
    sync(zhao, sent=1)
    taken = shown(zhao, trip_id)
    assert taken["state"] == "claimed" and taken["code_word"]

    aunt.personal.refresh()
    assert notified(aunt, trip_id) == ["trip_claimed", "trip_released", "trip_claimed"]
    assert shown(aunt, trip_id)["volunteer"]["name"] == "赵志愿"
    assert shown(aunt, trip_id)["code_word"] == taken["code_word"]
    assert first_word  # each claim drew a code word


# -- offline ------------------------------------------------------------------------------------


def test_a_request_and_a_claim_made_offline_are_sent_when_the_server_is_back(
    aunt: PersonalServices, wang: PersonalServices, backend: BackendServer
):
    online_trip = asked(aunt)
    wang.personal.refresh()
    assert online_trip in open_ids(wang)
    backend.stop()

    offline_trip = aunt.trips.request_trip(draft(days_ahead=3, to_place="人民公园"))
    wang.trips.claim_trip(online_trip)
    assert shown(aunt, offline_trip)["sending"] is True
    assert shown(wang, online_trip)["state"] == "claimed"
    for client in (aunt, wang):
        result = client.sender.drain()
        assert (result.stopped, result.waiting, result.sent) == (DrainStop.OFFLINE, 1, 0)
        assert client.personal.view().waiting == 1

    backend.start()
    sync(aunt, sent=1)
    sync(wang, sent=1)

    assert shown(aunt, offline_trip)["state"] == "open"
    assert "sending" not in shown(aunt, offline_trip)
    assert server_trips(backend, offline_trip) == 1  # the client's UUID is the server's id
    guiding = shown(wang, online_trip)
    assert guiding["state"] == "claimed" and guiding["code_word"]
    aunt.personal.refresh()
    assert shown(aunt, online_trip)["code_word"] == guiding["code_word"]


def test_a_claim_that_lost_the_race_while_offline_comes_back_refused(
    aunt: PersonalServices,
    wang: PersonalServices,
    zhao: PersonalServices,
    backend: BackendServer,
):
    trip_id = asked(aunt)
    wang.personal.refresh()
    zhao.personal.refresh()
    backend.stop()

    action_id = wang.trips.claim_trip(trip_id)  # waits: the server is away
    assert wang.sender.drain().stopped is DrainStop.OFFLINE
    assert shown(wang, trip_id)["state"] == "claimed"

    backend.start()
    zhao.trips.claim_trip(trip_id)  # zhao's claim reaches the server first
    sync(zhao, sent=1)

    result = wang.sender.drain()

    assert (result.sent, result.rejected, result.stopped) == (0, 1, DrainStop.EMPTY)
    assert wang.outbox.get(action_id).status is OutboxStatus.REJECTED
    owner = wang.account.owner()
    assert owner is not None
    [refusal] = wang.outbox.take_rejections(owner)
    assert (refusal.id, refusal.kind, refusal.code) == (action_id, "trip_claim", "trip_taken")
    assert wang.outbox.take_rejections(owner) == []
    # Gone from both lists: the claim left the view, the reload after it the open list.
    assert shown(wang, trip_id) is None
    assert trip_id not in open_ids(wang)
    assert shown(zhao, trip_id)["state"] == "claimed"


def test_a_request_whose_answer_was_lost_is_sent_again_and_made_once(
    make_client: MakeClient, backend: BackendServer
):
    transport = FlakyTransport()
    aunt = make_client(backend.url, name="flaky-aunt", transport=transport)
    aunt.account.sign_in(RESIDENT_PHONE, DEV_CODE)
    aunt.personal.refresh()
    trip_id = aunt.trips.request_trip(draft())
    transport.drop_response_of = transport.requests + 1  # POST /trips acts, its answer is lost

    sync(aunt, sent=1)

    assert server_trips(backend, trip_id) == 1
    assert [t["id"] for t in my_requests(aunt.personal.view().trips)].count(trip_id) == 1


def test_open_trips_are_only_for_verified_volunteers(aunt: PersonalServices):
    asked(aunt)
    view = aunt.personal.view()
    assert (view.volunteer, view.open_trips) == (None, [])


def test_signing_out_forgets_trips_and_notifications(
    aunt: PersonalServices, wang: PersonalServices
):
    trip_id = asked(aunt)
    wang.personal.refresh()
    wang.trips.claim_trip(trip_id)
    sync(wang, sent=1)
    aunt.personal.refresh()
    assert aunt.personal.view().notifications

    aunt.account.sign_out()

    view = aunt.personal.view()
    assert (view.trips, view.notifications, view.open_trips, view.volunteer) == ([], [], [], None)


def test_times_on_the_wire_are_aware(aunt: PersonalServices):
    trip_id = asked(aunt)
    trip = shown(aunt, trip_id)
    assert trip is not None
    for key in ("start_at", "created_at", "updated_at"):
        assert datetime.fromisoformat(trip[key]).tzinfo is not None, key
    assert datetime.fromisoformat(trip["start_at"]) > datetime.now(UTC)
