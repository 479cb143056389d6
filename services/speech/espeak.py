"""espeak-ng's quirks, worked around: the Mandarin voice that reads hanzi as English, its
asynchronous thread, and the one process-wide engine Speakers share."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time

INSTALL_HINT = "install the Debian package espeak-ng (`make test` and `make run` do)"

# espeak-ng is one process-wide C library and pyttsx3 shares an engine per driver name, so
# Speakers in one process take turns on it. The app itself uses shared_speaker().
ENGINE_LOCK = threading.RLock()


class SynthesisCancelled(RuntimeError):
    """espeak-ng reported an unfinished synthesis; worth one more try."""


def espeak_misreads_hanzi(voice_id: str) -> bool:
    """True when espeak-ng renders Chinese characters through English (the 1.51 ``cmn`` bug).

    Asks the espeak-ng command line for phonemes; "(en)" means it switched to English. If the
    probe cannot run we assume the bug, since the alternative voice is safe either way.
    """
    exe = shutil.which("espeak-ng")
    if exe is None:
        return True
    try:
        out = subprocess.run(
            [exe, "-q", "-x", "-v", voice_id, "您好"],  # not UI text: a pronunciation probe
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return "(en)" in out


def wait_for_espeak_idle(timeout: float) -> None:
    """Wait until espeak-ng's own thread has nothing left to do.

    espeak-ng runs asynchronously here: rate and volume changes are queued to its thread, and
    pyttsx3 announces "finished-utterance" from inside its callback on that thread. Two races
    follow, both seen in practice: pyttsx3's runAndWait() calls espeak_Cancel() when espeak is
    still busy, silently dropping a just-queued rate change; and a command issued before the
    callback returns interleaves with pyttsx3's own bookkeeping. espeak_IsPlaying() is 1 until
    the queue is empty and the callback has returned.
    """
    try:
        from pyttsx3.drivers import _espeak
    except Exception:  # a pyttsx3 without this private module: nothing better to wait on
        return
    deadline = time.monotonic() + timeout
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.002)
