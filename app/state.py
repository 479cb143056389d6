"""Per-session state the views are drawn from; it owns its mutations."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum

import flet as ft

from app.account.state import AccountState
from app.events.state import EventState
from app.kiosk.state import KioskState
from app.matching.state import MatchingState
from app.notifications.state import NotificationState
from app.proxy.state import ProxyState
from app.search.state import SearchState
from app.trips.forms import TripForm, VolunteerDraft
from app.trips.state import TripState
from services.catalog import Catalog, District, ServiceItem
from services.personal import PersonalView
from services.preferences import Preferences
from services.search import SearchResult


class SyncStatus(StrEnum):
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"


class Drafts:
    """What the person is typing. Not observable on purpose: a keystroke must not re-render
    the screen (the field already shows it); the text is read when they press a button."""

    def __init__(self) -> None:
        self.phone = ""
        self.code = ""
        self.contact: dict[str, str] = {}
        self.search = ""
        # Made with the person's defaults when the form is first shown; dropped once sent.
        self.trip: TripForm | None = None
        self.volunteer: VolunteerDraft | None = None
        # Events: the event code typed per event, an appeal's words, the door's two fields.
        self.event_codes: dict[str, str] = {}
        self.appeal_text = ""
        self.door_code = ""
        self.door_search = ""
        # Acting on behalf: the resident's phone and consent code the helper types.
        self.act_for_phone = ""
        self.consent_code = ""


@ft.observable
@dataclass
class AppState:
    route: str = "/"
    # False until the client has fonts and theme: the first frame must draw no CJK text,
    # or Flutter web asks the internet for fallback fonts (DESIGN.md §5).
    ready: bool = False
    sync_status: SyncStatus = SyncStatus.CONNECTING
    districts: list[District] = field(default_factory=list)
    common_services: list[ServiceItem] = field(default_factory=list)
    catalog_empty: bool = True
    catalog_generation: int = 0  # bumps on every catalogue change applied
    preferences: Preferences = field(default_factory=Preferences)
    # The signed-in person (DESIGN.md §3 "Me"): their data with waiting actions applied.
    signed_in: bool = False
    session_expired: bool = False
    personal: PersonalView = field(default_factory=PersonalView)
    # Sign-in and profile forms: a sentence about the last attempt (also announced).
    busy: bool = False
    form_message: str = ""
    form_error: bool = False
    # The message confirms an action still in the outbox: once everything is sent it is
    # replaced by "all sent", so the screen never keeps saying "not sent yet".
    form_queued: bool = False
    form_route: str = ""  # the screen the message is for (it goes when another one opens)
    # Bumped when an action's outcome should take the focus: the button pressed is often
    # gone (a sign-up becomes "my sign-up"), and focus that falls out of the app is lost to
    # a screen reader. The message with a new number is a new node, focused once.
    form_focus: int = 0
    form_focused: bool = False  # the message now shown is one that took the focus
    # Actions waited while the server could not be reached: the person is told when they
    # have all gone. (Online, an action's own confirmation is all that is said.)
    waited_offline: bool = False
    drafts: Drafts = field(default_factory=Drafts)
    # A button that changes a form bumps the revision so the screen is drawn again from the
    # drafts; ``confirming`` is the question open on the screen ("cancel:<id>", …).
    form_revision: int = 0
    confirming: str | None = None
    # Each feature's own pieces. A change in one re-renders as a change here does: the shell
    # follows this object alone, and it passes on its parts' changes (``_follow``).
    account: AccountState = field(default_factory=AccountState)
    matching: MatchingState = field(default_factory=MatchingState)
    search: SearchState = field(default_factory=SearchState)
    trips: TripState = field(default_factory=TripState)
    events: EventState = field(default_factory=EventState)
    proxy: ProxyState = field(default_factory=ProxyState)
    notifications: NotificationState = field(default_factory=NotificationState)
    kiosk: KioskState = field(default_factory=KioskState)

    # What a kiosk wipe keeps: the public catalogue and how the app is connected.
    KEPT_BY_WIPE = frozenset(
        {"ready", "sync_status", "districts", "common_services", "catalog_empty"}
    )

    @classmethod
    def parts(cls) -> tuple[str, ...]:
        """The fields holding a feature's own state: each an observable of its own, found from
        the fields so a new part cannot be left unfollowed."""
        return tuple(
            f.name
            for f in fields(cls)
            if isinstance(f.default_factory, type) and issubclass(f.default_factory, ft.Observable)
        )

    def __post_init__(self) -> None:
        for name in self.parts():
            self._follow(name)

    def _follow(self, name: str) -> None:
        """A change in part ``name`` is announced as a change of this object."""
        part = getattr(self, name)

        def changed(_sender: object, _field: str | None) -> None:
            self._notify(name)

        # Observables hold their listeners weakly: the part keeps this one alive.
        object.__setattr__(part, "_follower", changed)
        part.subscribe(changed)

    def forget_session(self, preferences: Preferences) -> None:
        """Every field back to its default except the public ones (a kiosk's wipe): nothing the
        last person typed, saw or chose stays in this object."""
        for f in fields(self):
            if f.name in self.KEPT_BY_WIPE:
                continue
            if f.default_factory is not MISSING:
                setattr(self, f.name, f.default_factory())
            else:
                setattr(self, f.name, f.default)
        for name in self.parts():
            self._follow(name)
        self.preferences = preferences

    def route_change(self, e: ft.RouteChangeEvent) -> None:
        self.route = e.route
        # A form's message and half-done steps belong to the screen they were on (a message
        # told for the screen now opening, such as a request's confirmation, stays).
        if self.form_route != _path(e.route):
            self.tell("")
        self.account.editing_contact = False
        self.account.confirm_sign_out = False
        self.matching.editing_facts = False
        self.matching.show_not_eligible = False
        self.trips.changing_district = False
        self.confirming = None

    def tell(
        self,
        message: str,
        *,
        error: bool = False,
        queued: bool = False,
        route: str | None = None,
        focus: bool | None = False,
    ) -> None:
        """``route``: the screen the message is for, if not the one open now; ``focus``: the
        message takes the keyboard and screen-reader focus; None: it replaces the message
        shown and stays the node that one was (holding the focus if that one took it)."""
        self.form_message, self.form_error, self.form_queued = message, error, queued
        self.form_route = _path(self.route if route is None else route)
        if focus:
            self.form_focus += 1
        if focus is not None:
            self.form_focused = focus

    def show_search(self, result: SearchResult | None) -> None:
        self.search.result = result

    def refresh_catalog(self, catalog: Catalog) -> None:
        # Screens read events (places left) straight from the catalogue: a new generation
        # draws them again even when the districts and common services are unchanged.
        self.catalog_generation += 1
        self.districts = catalog.districts()
        self.common_services = catalog.common_services()
        self.catalog_empty = catalog.is_empty()


def _path(route: str) -> str:
    return route.split("?", 1)[0] or "/"
