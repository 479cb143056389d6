"""Read-aloud (朗读) for Sunshine: pyttsx3 driven from one dedicated worker thread.

Over 400 lines on purpose: ``Speaker`` is one object whose worker thread owns the engine, and
its start, synthesis, playback and stop steps share that thread's state; splitting the class
would spread one lock discipline over several modules. Voice choice, espeak-ng's quirks, the
player and sentence splitting live beside it.

Why it is built this way:

* pyttsx3 engines are not thread-safe, so exactly one daemon thread per Speaker touches the
  engine, fed by a queue; the UI thread only enqueues and returns at once.
* With the espeak driver (Linux), pyttsx3 2.99 plays audio by shelling out to ``aplay`` from
  espeak's callback thread: that cannot be interrupted and fails silently when ``aplay`` or a
  sound card is missing. So on espeak we only let pyttsx3 *synthesize* (``save_to_file``),
  sentence by sentence, and play each WAV with a player subprocess we can terminate at once
  and whose failure we can report.
* Its ``runAndWait`` may return before espeak has written the WAV (the first call after the
  engine starts does), so every synthesis waits for the "finished-utterance" notification.
* espeak-ng 1.51 (Debian 12) reads Chinese characters with the ``cmn`` voice as pinyin spelled
  out in English ("nin two hao three"); ``cmn-latn-pinyin`` pronounces them correctly. The
  voice choice probes this instead of trusting a version number.
* Other drivers (SAPI5 on Windows, NSSpeech/AVSpeech on macOS) play natively; there stop() is
  pyttsx3's documented pattern: a word callback calls engine.stop().
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import stamina

from services.speech.espeak import (
    ENGINE_LOCK,
    INSTALL_HINT,
    SynthesisCancelled,
    espeak_misreads_hanzi,
    wait_for_espeak_idle,
)
from services.speech.player import Playback, default_player_command
from services.speech.sentences import split_for_speech
from services.speech.voices import (
    DEFAULT_RATE,
    MAX_RATE,
    MIN_RATE,
    Language,
    VoiceInfo,
    choose_voice,
    language_tags,
    normalize_language,
)

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.05


@dataclass
class _SpeakJob:
    text: str
    generation: int


@dataclass
class _FileJob:
    text: str
    path: Path
    timeout: float
    result: Future[Path]


class Speaker:
    """Speaks text without ever blocking the caller; the latest request wins.

    All engine work happens on one daemon thread. Settings (language, rate, volume) apply to
    the next utterance. When the engine cannot start, nothing raises: ``available`` is False,
    ``unavailable_reason`` says why and ``say()`` returns False, so the UI can point the user
    to the platform screen reader instead.
    """

    def __init__(
        self,
        driver_name: str | None = None,
        *,
        language: str = "zh_CN",
        rate: int = DEFAULT_RATE,
        volume: float = 1.0,
        player: Sequence[str] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """``player`` overrides the audio player command (``{path}`` marks the WAV file);
        ``on_error`` is called on the worker thread with a readable message when speaking
        fails (for instance no audio device), so the UI can announce it."""
        self._driver_name = driver_name
        self._player_override = list(player) if player is not None else None
        self._on_error = on_error
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[_SpeakJob | _FileJob | None] = queue.SimpleQueue()
        self._ready = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._wake = threading.Event()
        self._finished = threading.Event()
        self._completed = True
        self._engine_errors: list[BaseException] = []
        self._generation = 0
        self._pending_speech = 0
        self._closed = False
        self._engine_error: str | None = None
        self._last_error: str | None = None
        self._voices: tuple[VoiceInfo, ...] = ()
        self._avoid: frozenset[str] = frozenset()
        self._language: Language = normalize_language(language)
        self._voice: VoiceInfo | None = None
        self._rate = self._clamp_rate(rate)
        self._volume = self._clamp_volume(volume)
        self._current_job: _SpeakJob | None = None
        # Filled in on the worker by _start_engine.
        self._espeak = False
        self._player: list[str] | None = None
        self._workdir = Path(tempfile.gettempdir())
        self._tokens: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self._run, name="sunshine-speech", daemon=True)
        self._thread.start()

    # --- state the UI asks about ----------------------------------------------------------

    @property
    def available(self) -> bool:
        """True when read-aloud can work: engine started and a voice fits the language."""
        return not self.unavailable_reason

    @property
    def unavailable_reason(self) -> str:
        """Why read-aloud is unavailable, in English for logs; empty when it is available."""
        with self._lock:
            if self._closed:
                return "the speaker has been closed"
            if not self._ready.is_set():
                return "the speech engine is still starting"
            if self._engine_error:
                return self._engine_error
            if self._voice is None:
                label = "Mandarin Chinese" if self._language == "zh_CN" else "English"
                return f"no {label} voice is installed for the speech engine"
            return ""

    def wait_until_ready(self, timeout: float = 5.0) -> bool:
        """Wait for the engine to start (it starts on the worker); returns ``available``."""
        self._ready.wait(timeout)
        return self.available

    @property
    def speaking(self) -> bool:
        """True from say() until that speech has finished, been stopped or failed."""
        return not self._idle.is_set()

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Wait until nothing is being spoken; False on timeout."""
        return self._idle.wait(timeout)

    @property
    def last_error(self) -> str | None:
        """Why the latest utterance failed (e.g. no audio device), or None."""
        with self._lock:
            return self._last_error

    @property
    def voice(self) -> VoiceInfo | None:
        """The voice used for the current language, once the engine has started."""
        with self._lock:
            return self._voice

    @property
    def voices(self) -> tuple[VoiceInfo, ...]:
        """Every voice the engine offers (empty until it has started)."""
        with self._lock:
            return self._voices

    @property
    def language(self) -> Language:
        return self._language

    @property
    def rate(self) -> int:
        return self._rate

    @property
    def volume(self) -> float:
        return self._volume

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def on_error(self) -> Callable[[str], None] | None:
        """Called on the worker thread with a readable message when speaking fails."""
        return self._on_error

    @on_error.setter
    def on_error(self, callback: Callable[[str], None] | None) -> None:
        # Settable so the UI can subscribe to the process-wide shared_speaker().
        self._on_error = callback

    # --- settings ------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """Switch between Mandarin ("zh_CN") and English ("en") for the next utterance."""
        normalized = normalize_language(language)
        with self._lock:
            self._language = normalized
            if self._voices:
                self._voice = choose_voice(self._voices, normalized, self._avoid)

    def set_rate(self, words_per_minute: int) -> int:
        """Set the speaking rate for the next utterance; returns the clamped value."""
        self._rate = self._clamp_rate(words_per_minute)
        return self._rate

    def set_volume(self, volume: float) -> float:
        """Set the volume (0.0-1.0) for the next utterance; returns the clamped value."""
        self._volume = self._clamp_volume(volume)
        return self._volume

    @staticmethod
    def _clamp_rate(words_per_minute: int) -> int:
        return max(MIN_RATE, min(MAX_RATE, int(words_per_minute)))

    @staticmethod
    def _clamp_volume(volume: float) -> float:
        return max(0.0, min(1.0, float(volume)))

    # --- commands ------------------------------------------------------------------------

    def say(self, text: str) -> bool:
        """Queue text to be spoken, interrupting anything being spoken; never blocks.

        Returns True when queued, False when read-aloud is unavailable or the text is empty
        (an empty say() still stops current speech).
        """
        text = text.strip()
        if not text:
            self.stop()
            return False
        with self._lock:
            if self._closed or self._engine_error:
                return False
            if self._ready.is_set() and self._voice is None:
                return False
            self._generation += 1
            self._pending_speech += 1
            self._idle.clear()
            self._jobs.put(_SpeakJob(text, self._generation))
        self._wake.set()
        return True

    def stop(self) -> None:
        """Stop speaking as soon as possible and drop queued speech; never blocks."""
        with self._lock:
            self._generation += 1
        self._wake.set()

    def synthesize_to_file(self, text: str, path: str | Path, timeout: float = 30.0) -> Path:
        """Render text to a WAV file with the current settings; blocks until it is complete.

        Meant for tests and benchmarks. Runs on the worker (the one engine), so it waits for
        speech already in progress. Raises RuntimeError when the engine is unavailable and
        TimeoutError when it takes longer than ``timeout`` seconds.
        """
        if not text.strip():
            raise ValueError("nothing to synthesize")
        target = Path(path).resolve()
        if not target.parent.is_dir():
            raise FileNotFoundError(f"directory does not exist: {target.parent}")
        result: Future[Path] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the speaker has been closed")
            self._jobs.put(_FileJob(text, target, timeout, result))
        try:
            return result.result(timeout=timeout)
        except FutureTimeoutError:
            result.cancel()
            raise TimeoutError(f"speech synthesis took longer than {timeout} s") from None

    def close(self, timeout: float = 3.0) -> bool:
        """Stop speaking and shut the worker down; True once it has stopped (within timeout)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._generation += 1
                self._jobs.put(None)
        self._wake.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        return not self._thread.is_alive()

    # --- worker thread -------------------------------------------------------------------

    def _run(self) -> None:
        engine = self._start_engine()
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                if isinstance(job, _SpeakJob):
                    try:
                        self._speak(engine, job)
                    except Exception as exc:
                        log.exception("read-aloud failed")
                        self._report(f"read-aloud failed: {type(exc).__name__}: {exc}")
                    finally:
                        self._speech_done()
                else:
                    self._render_file(engine, job)
        finally:
            self._release_engine(engine)

    def _start_engine(self) -> Any:
        """Create the engine on this (worker) thread; on failure record why and return None."""
        try:
            import pyttsx3

            engine = pyttsx3.init(self._driver_name)
            driver = str(getattr(engine, "driver_name", self._driver_name or ""))
            voices = tuple(
                VoiceInfo(
                    id=str(v.id),
                    name=str(v.name or v.id),
                    languages=tuple(str(tag) for tag in (v.languages or ())),
                )
                for v in engine.getProperty("voices") or ()
            )
            if not voices:
                raise RuntimeError("the speech engine reports no voices")
            self._espeak = driver == "espeak"
            avoid = frozenset(
                voice.id
                for voice in voices
                if self._espeak
                and language_tags(voice) == ["cmn"]
                and espeak_misreads_hanzi(voice.id)
            )
            if self._espeak:
                self._player = self._player_override or default_player_command()
                self._workdir = Path(tempfile.mkdtemp(prefix="sunshine-speech-"))
            self._tokens = [
                engine.connect("finished-utterance", self._on_finished),
                engine.connect("error", self._on_engine_error),
                engine.connect("started-word", lambda **_: self._maybe_interrupt(engine)),
            ]
        except Exception as exc:
            reason = f"speech engine failed to start: {type(exc).__name__}: {exc}"
            if self._driver_name in (None, "espeak") and not shutil.which("espeak-ng"):
                reason += f"; espeak-ng is missing ({INSTALL_HINT})"
            log.warning("read-aloud unavailable: %s", reason)
            with self._lock:
                self._engine_error = reason
            self._ready.set()
            return None
        with self._lock:
            self._voices = voices
            self._avoid = avoid
            self._voice = choose_voice(voices, self._language, avoid)
        self._ready.set()
        return engine

    def _release_engine(self, engine: Any) -> None:
        if engine is not None:
            for token in self._tokens:
                with contextlib.suppress(Exception):
                    engine.disconnect(token)
            if self._espeak:
                shutil.rmtree(self._workdir, ignore_errors=True)
        # Fail what is still queued so no caller waits for a worker that is gone.
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if isinstance(job, _FileJob) and job.result.set_running_or_notify_cancel():
                job.result.set_exception(RuntimeError("the speaker has been closed"))
            elif isinstance(job, _SpeakJob):
                self._speech_done()
        with self._lock:
            self._pending_speech = 0
        self._idle.set()

    # Engine callbacks. With espeak they arrive on espeak's own thread, hence events.
    def _on_finished(self, name: str | None = None, completed: bool = True, **_: Any) -> None:
        self._completed = completed
        self._finished.set()

    def _on_engine_error(self, exception: BaseException | None = None, **_: Any) -> None:
        if exception is not None:
            self._engine_errors.append(exception)

    def _maybe_interrupt(self, engine: Any) -> None:
        # Native drivers only: pyttsx3's documented way to cut an utterance short.
        job = self._current_job
        if job is not None and self._cancelled(job):
            engine.stop()

    def _cancelled(self, job: _SpeakJob) -> bool:
        return job.generation != self._generation or self._closed

    def _speech_done(self) -> None:
        with self._lock:
            self._pending_speech = max(0, self._pending_speech - 1)
            if self._pending_speech == 0:
                self._idle.set()

    def _report(self, message: str) -> None:
        log.warning("%s", message)
        with self._lock:
            self._last_error = message
        if self._on_error is not None:
            try:
                self._on_error(message)
            except Exception:
                log.exception("read-aloud error callback failed")

    def _apply_settings(self, engine: Any) -> None:
        # Cheap (< 2 ms), and another Speaker may share the engine, so always re-apply.
        with self._lock:
            voice, rate, volume = self._voice, self._rate, self._volume
        if voice is not None:
            engine.setProperty("voice", voice.id)
        engine.setProperty("rate", rate)
        engine.setProperty("volume", volume)

    def _synthesize(self, engine: Any, text: str, path: Path, timeout: float) -> None:
        """One save_to_file on the engine; returns once the WAV is completely written."""
        with ENGINE_LOCK:
            self._engine_errors.clear()
            self._apply_settings(engine)
            if self._espeak:
                wait_for_espeak_idle(timeout)  # let the new rate/volume land first
            self._finished.clear()
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            if self._espeak:
                # runAndWait() may return before the WAV is written (it does on a new engine).
                if not self._finished.wait(timeout):
                    raise TimeoutError(f"espeak-ng did not finish within {timeout} s")
                wait_for_espeak_idle(timeout)
                if not self._completed:
                    raise SynthesisCancelled("espeak-ng cancelled the synthesis")
        if self._engine_errors:
            error = self._engine_errors[0]
            raise RuntimeError(f"speech engine error: {error}") from error
        if not path.is_file() or path.stat().st_size == 0:
            raise RuntimeError(f"the speech engine wrote no audio to {path}")

    def _synthesize_with_retry(self, engine: Any, text: str, path: Path, timeout: float) -> None:
        """espeak-ng now and then cancels a synthesis by itself (a race inside pyttsx3's
        runAndWait, seen in about 1 run in 10 of the browser test); trying again succeeds."""
        for attempt in stamina.retry_context(
            on=SynthesisCancelled, attempts=3, wait_initial=0.05, wait_max=0.5
        ):
            with attempt:
                self._synthesize(engine, text, path, timeout)

    def _render_file(self, engine: Any, job: _FileJob) -> None:
        if not job.result.set_running_or_notify_cancel():
            return  # the caller gave up waiting
        try:
            if engine is None:
                raise RuntimeError(self._engine_error or "speech engine unavailable")
            if self._closed:
                raise RuntimeError("the speaker has been closed")
            job.path.unlink(missing_ok=True)
            self._synthesize_with_retry(engine, job.text, job.path, job.timeout)
        except BaseException as exc:
            job.result.set_exception(exc)
        else:
            job.result.set_result(job.path)

    def _speak(self, engine: Any, job: _SpeakJob) -> None:
        if engine is None or self._cancelled(job):
            return  # superseded by a newer say() or stop(): the latest request wins
        with self._lock:
            self._last_error = None
        if self._espeak:
            self._speak_via_player(engine, job)
        else:
            self._speak_natively(engine, job)

    def _speak_natively(self, engine: Any, job: _SpeakJob) -> None:
        # SAPI5 / NSSpeech / AVSpeech play by themselves; _maybe_interrupt stops them.
        with ENGINE_LOCK:
            self._apply_settings(engine)
            self._current_job = job
            try:
                engine.say(job.text)
                engine.runAndWait()
            finally:
                self._current_job = None

    def _speak_via_player(self, engine: Any, job: _SpeakJob) -> None:
        if not self._player:
            self._report(
                "audio output failed: no audio player found "
                "(install pulseaudio-utils, pipewire-bin, alsa-utils or sox)"
            )
            return
        playback: Playback | None = None
        written: list[Path] = []
        try:
            for index, chunk in enumerate(split_for_speech(job.text)):
                if self._cancelled(job):
                    return
                # Synthesize the next sentence while the previous one is still playing.
                wav = self._workdir / f"utterance-{job.generation}-{index}.wav"
                written.append(wav)
                self._synthesize_with_retry(engine, chunk, wav, timeout=10.0 + len(chunk) * 0.05)
                if playback is not None and not self._wait_for(playback, job):
                    return
                if self._cancelled(job):
                    return
                try:
                    playback = Playback(self._player, wav)
                except OSError as exc:
                    self._report(f"audio output failed: cannot start {self._player[0]}: {exc}")
                    return
            if playback is not None:
                self._wait_for(playback, job)
        finally:
            if playback is not None:
                playback.terminate()
            for wav in written:
                wav.unlink(missing_ok=True)

    def _wait_for(self, playback: Playback, job: _SpeakJob) -> bool:
        """Wait for one sentence to play; False if it was interrupted or failed."""
        while True:
            self._wake.clear()
            if self._cancelled(job):
                playback.terminate()
                return False
            code = playback.poll()
            if code is not None:
                break
            self._wake.wait(_POLL_SECONDS)
        message = playback.error_message() if code != 0 else ""
        playback.terminate()  # releases the stderr file
        if code != 0:
            self._report(
                f"audio output failed ({playback.name} exited with status {code}): {message}"
            )
            return False
        return True


_shared: Speaker | None = None
_shared_lock = threading.Lock()


def shared_speaker() -> Speaker:
    """The process-wide Speaker, created on first use (one engine, one worker for the app)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.closed:
            _shared = Speaker()
            atexit.register(_shared.close)
        return _shared
