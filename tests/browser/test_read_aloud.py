"""朗读 reads the screen aloud: real espeak-ng speech reaches the audio player, in Chinese."""

from __future__ import annotations

import array
import shlex
import sys
import time
import wave
from pathlib import Path

import pytest
from flet_page import FletPage

pytestmark = pytest.mark.browser

PLAYER = Path(__file__).with_name("recording_player.py")


def wav_stats(path: Path) -> tuple[float, float]:
    """(seconds, peak amplitude 0..1) of a 16-bit WAV."""
    with wave.open(str(path)) as wav:
        frames = wav.readframes(wav.getnframes())
        seconds = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    return seconds, max((abs(s) for s in samples), default=0) / 32768


def test_read_aloud_on_home_speaks_the_heading_and_content(browser, launcher, tmp_path):
    record_dir = tmp_path / "played"
    record_dir.mkdir()
    command = shlex.join([sys.executable, str(PLAYER)]) + " {path}"
    app = launcher(env={"SUNSHINE_AUDIO_PLAYER": command, "RECORD_DIR": str(record_dir)})
    page = FletPage(browser, app.url)
    page.open()
    page.wait_for("district-310101")
    page.activate("read-aloud")
    deadline = time.monotonic() + 60
    played: list[Path] = []
    while time.monotonic() < deadline and len(played) < 3:
        played = sorted(record_dir.glob("*.wav"))
        time.sleep(0.2)
    assert len(played) >= 3, (
        f"read-aloud played {len(played)} sentences; heard {page.announcements()}\n{app.log()[-3000:]}"
    )
    seconds, peak = wav_stats(played[0])
    assert peak > 0.05, "the first sentence is silent"
    assert 0.5 < seconds < 6, f"the heading 阳光申办 took {seconds:.2f} s"
    assert "本设备无法朗读" not in " ".join(page.announcements())
    page.page.keyboard.press("Escape")  # stops speaking
    page.page.close()


def test_when_audio_cannot_play_the_app_says_so_in_words(browser, launcher):
    app = launcher(env={"SUNSHINE_AUDIO_PLAYER": "false {path}"})  # a player that always fails
    page = FletPage(browser, app.url)
    page.open()
    page.wait_for("screen-home")
    page.activate("read-aloud")
    assert "读屏软件" in page.wait_for_announcement("本设备无法朗读")
    page.page.close()
