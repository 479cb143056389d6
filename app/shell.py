"""The Flet entry for one session: page setup, the root component, routing and sync watching."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import flet as ft

from accessibility.announce import Announcer
from accessibility.theme import FONT_ASSET, FONT_FAMILY, build_theme
from app.account.actions import AccountActions
from app.account.messages import waiting_sentence
from app.actions import Actions
from app.context import AppContext
from app.display import apply_process_preferences
from app.features import notification_sentence, refusal_sentence
from app.kiosk.actions import KioskActions
from app.kiosk.idle import IdleClock, follow_idle_clock, watch_input
from app.messages import (
    back_online_sentence,
    preferences_changed_sentence,
    read_aloud_off_sentence,
    read_aloud_unavailable_sentence,
    sync_status_sentence,
)
from app.routes import window_title
from app.state import AppState, SyncStatus
from services.preferences import Preferences

logger = logging.getLogger(__name__)

ScreenRenderer = Callable[[AppState, AppContext, Actions], list[ft.View]]


def make_page_main(ctx: AppContext, render_screens: ScreenRenderer) -> Callable[[ft.Page], None]:
    """``ft.run`` calls the result once per session (each browser tab, or the desktop window)."""

    def page_main(page: ft.Page) -> None:
        page.title = window_title(page.route or "/")
        page.fonts = {FONT_FAMILY: FONT_ASSET}
        page.theme = build_theme()
        page.theme_mode = ft.ThemeMode.LIGHT
        if ctx.kiosk:
            page.window.full_screen = True
        page.render_views(App, ctx, render_screens)

    return page_main


@ft.component
def App(ctx: AppContext, render_screens: ScreenRenderer) -> list[ft.View]:
    page = ft.context.page
    state, _set = ft.use_state(
        lambda: AppState(route=page.route or "/", preferences=ctx.preferences.load())
    )
    task = ft.use_ref(None)  # the session task, cancelled when the root unmounts
    announcer = ft.use_ref(Announcer)  # created once, inside this session
    idle = ft.use_ref(
        lambda: IdleClock(ctx.settings.kiosk_warn_after, ctx.settings.kiosk_reset_after)
    )

    kiosk_ref = ft.use_ref(None)  # the session's KioskActions (made once, below)
    speech_failure_told = ft.use_ref(False)

    def go(route: str) -> None:
        if kiosk_ref.current is not None:
            kiosk_ref.current.going_to(route)
        announcer.current.arrived()  # what is announced next waits for the new screen's name
        page.navigate(route)

    def announce(message: str) -> None:
        if message:
            page.run_task(announcer.current.say, message)

    def apply_preferences(new: Preferences) -> None:
        ctx.preferences.save(new)
        apply_process_preferences(new, ctx.settings, ctx.speaker)
        page.theme = build_theme()  # each View also takes the look's background
        page.title = window_title(state.route)
        page.update()
        state.preferences = new  # re-renders every screen with the new look and language

    def change_preferences(new: Preferences) -> None:
        old = state.preferences
        apply_preferences(new)
        announce(preferences_changed_sentence(old, new))

    def read_aloud(texts: list[str]) -> None:
        if not state.preferences.tts_enabled:
            announce(read_aloud_off_sentence())
        elif not ctx.speaker.say("\n".join(texts)):
            announce(read_aloud_unavailable_sentence())

    def speak(texts: list[str]) -> None:
        """Say a confirmation with the app's own voice when read-aloud is on (else stay quiet:
        the announcement already reached the screen reader)."""
        if state.preferences.tts_enabled:
            ctx.speaker.say("\n".join(texts))

    if ctx.kiosk and kiosk_ref.current is None:
        # Once per session, not per render: it remembers where this person has been.
        kiosk_ref.current = KioskActions(
            state, ctx, idle.current, announce, speak, apply_preferences, go, page.run_task
        )
    kiosk = kiosk_ref.current
    actions = Actions.for_session(
        state,
        ctx,
        go=go,
        change_preferences=change_preferences,
        apply_preferences=apply_preferences,
        read_aloud=read_aloud,
        announce=announce,
        speak=speak,
        run_task=page.run_task,
        kiosk=kiosk,
    )
    home, account = actions.home, actions.account

    # Failures after an utterance was queued (no audio device, player missing) arrive on the
    # speaker's worker thread; tell this session in words instead of staying silent -- once:
    # every later confirmation would otherwise be followed by the same sentence.
    def speech_failed(_reason: str) -> None:
        if not speech_failure_told.current:
            speech_failure_told.current = True
            page.run_task(announcer.current.say, read_aloud_unavailable_sentence())

    ctx.speaker.on_error = speech_failed

    def on_key(e: ft.KeyboardEvent) -> None:
        if e.key == "Escape":
            ctx.speaker.stop()
            if state.route != "/":
                go("/")

    def route_changed(e: ft.RouteChangeEvent) -> None:
        if kiosk is not None and not kiosk.may_show(e.route):
            go("/")  # the browser's Back into an earlier person's screens
            return
        state.route_change(e)
        home.note_route(e.route)
        page.title = window_title(e.route)
        page.update()

    page.on_route_change = route_changed
    page.on_view_pop = lambda _e: go("/")
    page.on_keyboard_event = on_key

    def mounted() -> None:
        task.current = [
            asyncio.create_task(run_session(state, ctx, announcer.current), name="session"),
            asyncio.create_task(
                follow_outbox(state, ctx, account, announcer.current), name="session-outbox"
            ),
        ]
        if kiosk is not None:
            watch_input(page, idle.current.touch)
            if ctx.personal.account.signed_in:
                # A new session (the kiosk's browser reloaded) on a kiosk where someone is
                # still signed in: count from now, or their data would stay up unwatched.
                idle.current.touch()
            task.current.append(
                asyncio.create_task(
                    follow_idle_clock(idle.current, kiosk.show_countdown, kiosk.expire),
                    name="session-kiosk-idle",
                )
            )

    def unmounted() -> None:
        for running in task.current or []:
            running.cancel()

    ft.on_mounted(mounted)
    ft.on_unmounted(unmounted)
    return render_screens(state, ctx, actions)


async def run_session(state: AppState, ctx: AppContext, announcer: Announcer) -> None:
    """Show the catalogue we have, then follow the sync runner for the life of the session."""
    # The first frame draws no CJK text: wait for one client round trip, by which time the
    # client has applied our fonts and theme (DESIGN.md §5). This narrows Flutter's font race;
    # the web overlay (app/web_client.py) is what guarantees nothing is fetched from outside.
    await announcer.features()
    state.refresh_catalog(ctx.catalog)
    state.ready = True
    ctx.runner.ensure_started()
    seen = 0
    while True:
        snapshot = await ctx.runner.wait_for_change(seen)
        seen = snapshot.generation
        if snapshot.last_result is not None and snapshot.last_result.changes:
            state.refresh_catalog(ctx.catalog)
        previous, state.sync_status = state.sync_status, snapshot.status
        if snapshot.status is previous:
            continue
        if snapshot.status is SyncStatus.OFFLINE:
            await announcer.say(sync_status_sentence(snapshot.status, state.catalog_empty))
        elif previous is SyncStatus.OFFLINE:
            ctx.outbox_runner.server_answers()  # reconnected: send what waited, now
            await announcer.say(back_online_sentence())


async def follow_outbox(
    state: AppState, ctx: AppContext, account: AccountActions, announcer: Announcer
) -> None:
    """Keep the person's data and the waiting count current; say what changed."""
    await announcer.features()
    account.refresh_view()
    ctx.outbox_runner.ensure_started()
    seen = 0
    while True:
        snapshot = await ctx.outbox_runner.wait_for_change(seen)
        seen = snapshot.generation
        before = state.personal.waiting
        account.refresh_view()
        state.session_expired = snapshot.session_expired
        for rejection in snapshot.rejections:
            await announcer.say(refusal_sentence(rejection), urgent=True)
        for sentence in new_notification_sentences(state, ctx.clock()):
            await announcer.say(sentence)
        if not state.signed_in:
            continue
        waiting = state.personal.waiting
        if waiting and state.sync_status is SyncStatus.OFFLINE:
            state.waited_offline = True
        if waiting == 0 and before > 0:
            await everything_sent(state, ctx, announcer)


async def everything_sent(state: AppState, ctx: AppContext, announcer: Announcer) -> None:
    """The outbox has emptied. One action, one sentence: its confirmation was said when it was
    taken; now the screen's status stops saying "not sent yet", and only someone whose actions
    waited through a lost connection hears that they have gone."""
    sentence = waiting_sentence(0)
    if state.form_queued and not state.form_error:
        # On the screen the confirmation was for, in its place (the focus stays on it).
        state.tell(sentence, route=state.form_route, focus=None)
    if state.waited_offline:
        state.waited_offline = False
        await announcer.say(sentence)
    ctx.runner.sync_now()  # counts the actions changed (places left) come with the catalogue


NEWEST_ANNOUNCED = 3  # after a long time offline, say the newest few, not a backlog


def new_notification_sentences(state: AppState, now: datetime) -> list[str]:
    """Sentences for notifications that arrived since the last look (none on the first one:
    the unread count on the home screen covers what was already waiting)."""
    items = state.personal.notifications
    newest = max((int(item["id"]) for item in items), default=0)
    seen, state.notifications.seen = state.notifications.seen, newest
    if seen is None or not state.signed_in:
        return []
    fresh = [i for i in items if int(i["id"]) > seen and not i.get("read_at")]
    return [notification_sentence(i, now) for i in fresh[:NEWEST_ANNOUNCED]]
