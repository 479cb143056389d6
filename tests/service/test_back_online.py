"""Queued actions go as soon as the server answers again, however long it was away (issue 16, 2).

Against the real backend over HTTP, with the app's own retry policy and the OutboxRunner's own
schedule. Time offline passes on the sender's clock (the test moves it to each scheduled drain
instead of sleeping through two minutes), so "within 5 s" is counted on that clock and a loaded
machine cannot make the test red.
"""

from __future__ import annotations

import asyncio

from outbox_support import Clock, give_inbox_items, server_keys
from sync_support import DEV_CODE
from test_sync_runner import run_async

from app.outbox_runner import OutboxRunner
from services.sync.sender import DrainStop, RetryPolicy

PHONE = "13900008888"
OFFLINE_FOR = 120.0  # seconds on the sender's clock
BACK_WITHIN = 5.0
# The app's policy, with one try per drain so the test spends no real time in stamina's waits.
APP_POLICY = RetryPolicy(attempts=1)


def signed_in_client(make_client, backend, clock: Clock):
    client = make_client(backend.url, policy=APP_POLICY)
    client.sender.clock = clock
    client.account.sign_in(PHONE, DEV_CODE)
    client.personal.refresh()
    return client


def test_three_actions_queued_during_two_minutes_offline_go_within_seconds_of_the_return(
    make_client, backend
):
    clock = Clock()
    client = signed_in_client(make_client, backend, clock)
    inbox = give_inbox_items(backend, PHONE, 2)
    client.personal.refresh()
    runner = OutboxRunner(client, interval=30.0)

    backend.stop()
    keys = [
        client.personal.reply_inbox(inbox[0], "interested"),
        client.personal.edit_contact({"address": "黄浦区示例路 1 号"}),
        client.personal.reply_inbox(inbox[1], "not_interested"),
    ]
    went_away = clock()
    drains = 0
    while clock() - went_away < OFFLINE_FOR:
        result = client.sender.drain()
        assert result.stopped in (DrainStop.OFFLINE, DrainStop.WAITING)  # tried, or pausing
        assert result.waiting == 3
        clock.advance(runner.delay(result))  # the runner sleeps until its next drain
        drains += 1
    assert drains > 10  # it kept trying the whole time, not once a minute

    backend.start()
    came_back = clock()
    while True:
        result = client.sender.drain()
        if result.waiting == 0:
            break
        clock.advance(runner.delay(result))
    sent_after = clock() - came_back

    assert sent_after <= BACK_WITHIN, f"sent {sent_after:.1f} s after the server came back"
    assert result.sent == 3
    assert server_keys(backend, PHONE)[-3:] == keys


def test_the_server_answering_again_makes_every_paused_item_due_at_once(make_client, backend):
    clock = Clock()
    client = signed_in_client(make_client, backend, clock)
    key = client.personal.edit_contact({"address": "徐汇区示例路 2 号"})
    # A long pause, as after many answers lost on the way (the back-off grows to 300 s).
    client.outbox.mark_waiting(key, "NoAnswerError: timed out", clock() + 290)
    runner = OutboxRunner(client, interval=30.0)

    async def scenario() -> int:
        runner.ensure_started()
        first = await asyncio.wait_for(runner.wait_for_change(0), 20)
        assert first.waiting == 1  # still pausing: the runner now sleeps for 30 s
        runner.server_answers()  # what the shell calls when the catalogue is back online
        after = await asyncio.wait_for(runner.wait_for_change(first.generation), 20)
        await runner.stop()
        return after.waiting

    assert run_async(scenario()) == 0
    assert server_keys(backend, PHONE)[-1] == key
