"""The audio player subprocess that plays each synthesised WAV: found on PATH, stoppable at once,
its failure readable."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

# A stand-in for the audio file in a player command line.
PATH_PLACEHOLDER = "{path}"

# Players tried in order: PulseAudio/PipeWire first (they share the device), raw ALSA, sox.
PLAYER_CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("paplay", PATH_PLACEHOLDER),
    ("pw-play", PATH_PLACEHOLDER),
    ("aplay", "-q", PATH_PLACEHOLDER),
    ("play", "-q", PATH_PLACEHOLDER),
    ("afplay", PATH_PLACEHOLDER),
    ("ffplay", "-nodisp", "-autoexit", "-loglevel", "error", PATH_PLACEHOLDER),
)


def default_player_command() -> list[str] | None:
    """The first audio player found on PATH, as a command with a ``{path}`` placeholder."""
    for candidate in PLAYER_CANDIDATES:
        if shutil.which(candidate[0]):
            return list(candidate)
    return None


def last_line(raw: bytes) -> str:
    lines = [line.strip() for line in raw.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else "no message"


class Playback:
    """One player subprocess; its stderr goes to a file so a chatty player cannot block."""

    def __init__(self, command: Sequence[str], wav: Path) -> None:
        argv = [part.replace(PATH_PLACEHOLDER, str(wav)) for part in command]
        if not any(PATH_PLACEHOLDER in part for part in command):
            argv.append(str(wav))
        self.name = Path(argv[0]).name
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the player
        try:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
            )
        except BaseException:
            self._stderr.close()
            raise

    def poll(self) -> int | None:
        return self.process.poll()

    def error_message(self) -> str:
        self._stderr.seek(0)
        return last_line(self._stderr.read())

    def terminate(self) -> None:
        """Stop the player if it still runs and release its stderr file; idempotent."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()
