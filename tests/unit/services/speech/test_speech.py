"""Read-aloud (services.speech) against the real espeak-ng engine: no mocks.

Only the sound card is replaced where a test must not make noise or needs real-time playback
on machines without audio hardware: ``paced_player`` is a tiny script that "plays" a WAV by
sleeping for its duration, exactly like a device consuming audio in real time.
"""

from __future__ import annotations

import array
import math
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.speech.sentences import split_for_speech
from services.speech.speaker import Speaker, shared_speaker
from services.speech.voices import MAX_RATE, MIN_RATE

INSTALL_HINT = (
    "Read-aloud needs espeak-ng. `make test` installs it (Debian package espeak-ng, via "
    "`make system-deps`); or run `sudo apt-get install espeak-ng`."
)
ZH_SENTENCE = "您好，这是阳光申办的朗读功能。"
EN_SENTENCE = "Hello, this is the read-aloud feature of Sunshine."
# Several minutes of speech: far longer than any bound below.
LONG_ZH = "".join(
    f"第{i}条：请携带残疾人证原件和身份证到街道社区事务受理服务中心办理。" for i in range(1, 41)
)

PACED_PLAYER = """
import sys, time, wave
log, path = sys.argv[1], sys.argv[2]
with open(log, "a") as f:
    f.write(f"start {path}\\n")
with wave.open(path) as w:
    time.sleep(w.getnframes() / w.getframerate())
with open(log, "a") as f:
    f.write(f"end {path}\\n")
"""


def require_engine(speaker: Speaker) -> None:
    """Fail (not skip) with a clear message when espeak-ng is not usable."""
    if shutil.which("espeak-ng") is None:
        pytest.fail(f"espeak-ng is not installed. {INSTALL_HINT}")
    if not speaker.wait_until_ready(15):
        pytest.fail(f"read-aloud unavailable: {speaker.unavailable_reason}. {INSTALL_HINT}")


def analyse(path: Path) -> tuple[float, float, float]:
    """Duration in seconds, RMS and peak (both 0..1) of a 16-bit mono WAV file."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2, "expected 16-bit samples"
        assert wav.getnchannels() == 1, "expected mono"
        frames = wav.getnframes()
        samples = array.array("h", wav.readframes(frames))
        duration = frames / wav.getframerate()
    if sys.byteorder == "big":
        samples.byteswap()
    assert samples, f"{path} holds no audio"
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768
    peak = max(abs(s) for s in samples) / 32768
    return duration, rms, peak


def assert_speech(path: Path) -> float:
    duration, rms, peak = analyse(path)
    assert rms > 0.02, f"audio is (nearly) silent: RMS {rms:.4f}"
    assert peak > 0.2, f"audio is (nearly) silent: peak {peak:.4f}"
    return duration


def hanzi_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def read_log(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def speaker() -> Iterator[Speaker]:
    s = Speaker()
    yield s
    assert s.close(), "the speech worker did not stop"


@pytest.fixture
def play_log(tmp_path: Path) -> Path:
    return tmp_path / "played.log"


@pytest.fixture
def paced_speaker(tmp_path: Path, play_log: Path) -> Iterator[Speaker]:
    script = tmp_path / "paced_player.py"
    script.write_text(PACED_PLAYER)
    s = Speaker(player=[sys.executable, str(script), str(play_log), "{path}"])
    yield s
    assert s.close(), "the speech worker did not stop"


def test_chinese_sentence_is_spoken_by_a_mandarin_voice(speaker: Speaker, tmp_path: Path) -> None:
    require_engine(speaker)
    voice = speaker.voice
    assert voice is not None
    assert voice.languages[0].lower().startswith(("cmn", "zh")), voice
    assert "cmn" in voice.id.lower() or "mandarin" in voice.name.lower(), voice

    duration = assert_speech(speaker.synthesize_to_file(ZH_SENTENCE, tmp_path / "zh.wav"))
    chars = hanzi_count(ZH_SENTENCE)
    assert 0.12 * chars <= duration <= 1.0 * chars, f"{duration:.2f} s for {chars} characters"


def test_chosen_voice_pronounces_hanzi_in_mandarin_not_english(speaker: Speaker) -> None:
    # espeak-ng 1.51's "cmn" voice reads 您好 as "nin two hao three" in English; "(en)" in
    # the phoneme output shows that switch. The chosen voice must not do it.
    require_engine(speaker)
    assert speaker.voice is not None
    phonemes = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", speaker.voice.id, ZH_SENTENCE],
        capture_output=True,
        text=True,
        check=True,
        timeout=10,
    ).stdout
    assert "(en)" not in phonemes, phonemes
    assert "35" in phonemes and "214" in phonemes, f"no Mandarin tones (nín hǎo): {phonemes}"


def test_faster_rate_gives_shorter_audio(speaker: Speaker, tmp_path: Path) -> None:
    require_engine(speaker)
    assert speaker.set_rate(120) == 120
    slow, _, _ = analyse(speaker.synthesize_to_file(ZH_SENTENCE, tmp_path / "slow.wav"))
    assert speaker.set_rate(250) == 250
    fast, _, _ = analyse(speaker.synthesize_to_file(ZH_SENTENCE, tmp_path / "fast.wav"))
    assert fast / slow < 0.8, f"rate 250: {fast:.2f} s, rate 120: {slow:.2f} s"


def test_english_text_with_english_voice(speaker: Speaker, tmp_path: Path) -> None:
    require_engine(speaker)
    speaker.set_language("en")
    voice = speaker.voice
    assert voice is not None and voice.languages[0].lower().startswith("en"), voice

    duration = assert_speech(speaker.synthesize_to_file(EN_SENTENCE, tmp_path / "en.wav"))
    words = len(EN_SENTENCE.split())
    assert 0.15 * words <= duration <= 1.0 * words, f"{duration:.2f} s for {words} words"


def test_settings_are_clamped_and_validated() -> None:
    s = Speaker(driver_name="nonexistent")  # settings need no engine
    try:
        assert s.set_rate(10) == MIN_RATE
        assert s.set_rate(1000) == MAX_RATE
        assert s.set_volume(-1) == 0.0
        assert s.set_volume(3) == 1.0
        s.set_language("zh-CN")
        assert s.language == "zh_CN"
        with pytest.raises(ValueError):
            s.set_language("fr")
    finally:
        assert s.close()


def test_long_text_is_split_into_sentences() -> None:
    chunks = split_for_speech(LONG_ZH + "\n。。")
    assert len(chunks) == 40
    assert all(chunk.endswith("。") for chunk in chunks)
    assert all(len(chunk) <= 200 for chunk in split_for_speech("很长" * 500))


def test_say_returns_immediately(paced_speaker: Speaker) -> None:
    # Before the engine has started (the first tap may come that early) ...
    started = time.perf_counter()
    assert paced_speaker.say(LONG_ZH) is True
    assert time.perf_counter() - started < 0.2
    require_engine(paced_speaker)
    # ... and while it is busy speaking.
    assert wait_for(lambda: paced_speaker.speaking, 5)
    started = time.perf_counter()
    assert paced_speaker.say(LONG_ZH * 5) is True
    assert time.perf_counter() - started < 0.2


def test_stop_ends_long_speech_quickly(paced_speaker: Speaker, play_log: Path) -> None:
    require_engine(paced_speaker)
    assert paced_speaker.say(LONG_ZH)
    assert wait_for(lambda: read_log(play_log), 10), "playback never started"
    time.sleep(0.5)
    assert paced_speaker.speaking, "a text of several minutes cannot be finished already"

    stopped = time.perf_counter()
    paced_speaker.stop()
    assert paced_speaker.wait_until_idle(2.0), "still speaking 2 s after stop()"
    assert time.perf_counter() - stopped < 2.0
    lines = read_log(play_log)
    assert lines[0].startswith("start ")
    assert f"end {lines[0][6:]}" not in lines, "the sentence was not cut off"
    assert paced_speaker.last_error is None


def test_new_say_interrupts_and_drops_older_requests(
    paced_speaker: Speaker, play_log: Path
) -> None:
    require_engine(paced_speaker)
    assert paced_speaker.say(LONG_ZH)
    assert wait_for(lambda: read_log(play_log), 10), "playback never started"
    started = time.perf_counter()
    assert paced_speaker.say(LONG_ZH)  # superseded before it starts
    assert paced_speaker.say("最后一句。")
    assert paced_speaker.wait_until_idle(15)
    assert time.perf_counter() - started < 15
    lines = read_log(play_log)
    starts = [line for line in lines if line.startswith("start ")]
    assert len(starts) <= 3, lines  # first sentence, maybe one more, then the last request
    assert lines[-1] == f"end {starts[-1][6:]}", "the latest request was not played to the end"


def test_failing_audio_output_is_reported_and_worker_survives(tmp_path: Path) -> None:
    errors: list[str] = []
    no_device = [sys.executable, "-c", "import sys; sys.exit('no default audio device')"]
    s = Speaker(player=no_device, on_error=errors.append)
    try:
        require_engine(s)
        assert s.say("您好。") is True
        assert s.wait_until_idle(10)
        assert s.last_error is not None and "no default audio device" in s.last_error
        assert errors == [s.last_error]
        # The worker is still alive and usable.
        assert_speech(s.synthesize_to_file(ZH_SENTENCE, tmp_path / "after.wav"))
        assert s.say("再试一次。") is True
        assert s.wait_until_idle(10)
        assert len(errors) == 2
    finally:
        assert s.close()


def test_real_audio_output_of_this_machine(speaker: Speaker, tmp_path: Path) -> None:
    # Volume 0 keeps this silent on machines with speakers. Without a sound card the system
    # player fails (sox: "no default audio device configured"); that must be reported.
    require_engine(speaker)
    errors: list[str] = []
    speaker.on_error = errors.append  # settable, as the UI does on shared_speaker()
    speaker.set_volume(0.0)
    assert speaker.say("测试。") is True
    assert speaker.wait_until_idle(10)
    error = speaker.last_error
    assert error is None or error.startswith("audio output failed"), error
    assert errors == ([error] if error else [])
    speaker.set_volume(1.0)
    assert_speech(speaker.synthesize_to_file(ZH_SENTENCE, tmp_path / "after.wav"))


def test_engine_that_cannot_start_is_reported_not_raised(tmp_path: Path) -> None:
    s = Speaker(driver_name="nonexistent")
    try:
        assert s.wait_until_ready(5) is False
        assert s.available is False
        assert "nonexistent" in s.unavailable_reason
        started = time.perf_counter()
        assert s.say("您好") is False
        assert time.perf_counter() - started < 0.2
        with pytest.raises(RuntimeError, match="nonexistent"):
            s.synthesize_to_file("您好", tmp_path / "x.wav", timeout=5)
    finally:
        assert s.close()


def test_shared_speaker_is_one_per_process() -> None:
    first = shared_speaker()
    try:
        assert shared_speaker() is first
    finally:
        assert first.close()
    second = shared_speaker()
    assert second is not first
    assert second.close()
