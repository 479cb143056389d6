"""Announcements are spaced so a screen reader hears each one (issue 16, item 12).

Through Orca, a trip's confirmation followed at once by "本设备无法朗读" was never heard: only
the second reached it; "已登录。欢迎您", made as the profile screen arrived, was lost while Orca
read the new screen. The announcer keeps them in order, apart, and after the new screen.
"""

from __future__ import annotations

import asyncio
import itertools
import time

from accessibility.announce import Announcer
from tests.async_support import run_async


class Recorder:
    def __init__(self) -> None:
        self.said: list[tuple[str, float]] = []

    async def announce_message(self, message: str, assertiveness=None) -> None:
        self.said.append((message, time.monotonic()))


def test_announcements_close_together_are_said_in_order_and_apart() -> None:
    async def run() -> list[tuple[str, float]]:
        announcer = Announcer(spacing=0.2)
        announcer._service = Recorder()  # the platform service records what it was asked
        await asyncio.gather(
            announcer.say("您的出行请求已保存。"), announcer.say("本设备无法朗读。")
        )
        await announcer.say("第三句。")
        return announcer._service.said

    said = run_async(run())
    assert [m for m, _t in said] == ["您的出行请求已保存。", "本设备无法朗读。", "第三句。"]
    gaps = [b - a for (_m, a), (_n, b) in itertools.pairwise(said)]
    assert all(gap >= 0.2 for gap in gaps), gaps


def test_an_announcement_waits_for_the_screen_just_arrived_at() -> None:
    async def run() -> tuple[float, list[tuple[str, float]]]:
        announcer = Announcer(spacing=0.2)
        announcer._service = Recorder()
        announcer.arrived()
        arrived = time.monotonic()
        await announcer.say("已登录。欢迎您，张阿姨。")
        return arrived, announcer._service.said

    arrived, [(_message, said_at)] = run_async(run())
    assert said_at - arrived >= 0.2 - 0.01  # the arrival was marked a moment before ``arrived``


def test_a_failed_announcement_does_not_stop_the_next() -> None:
    class Failing(Recorder):
        async def announce_message(self, message: str, assertiveness=None) -> None:
            if message == "坏":
                raise RuntimeError("client gone")
            await super().announce_message(message, assertiveness)

    async def run() -> list[tuple[str, float]]:
        announcer = Announcer(spacing=0.0)
        announcer._service = Failing()
        await announcer.say("坏")
        await announcer.say("好")
        return announcer._service.said

    assert [m for m, _t in run_async(run())] == ["好"]
