"""A real screen reader on a virtual desk: GNOME Orca reading the web build in Chromium.

Nothing here is simulated. An X server (Xvfb) stands in for the screen; a session D-Bus and the
AT-SPI bus carry the accessibility tree from Chromium to Orca; speech-dispatcher speaks through
espeak-ng into ALSA's null device (with no sound server it would fail, and Orca would hang); Orca
logs every utterance to its ``speech`` logger, which ``orca-customizations.py`` copies into a file
line by line. Keys are pressed with xdotool (XTEST), so Orca hears them exactly as it hears a
keyboard. Each process is started in order and stopped by PID in reverse order.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flet_page import CHROMIUM, CHROMIUM_ARGS

# The Debian packages the desk needs; `make system-deps` installs them.
PROGRAMS = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus-daemon",
    "orca": "orca",
    "speech-dispatcher": "speech-dispatcher",
    "gsettings": "libglib2.0-bin",
}
AT_SPI_BUS = Path("/usr/libexec/at-spi-bus-launcher")
LOCALE = "zh_CN.UTF-8"  # without it Orca says "push button" and espeak reads 汉字 as letters
WIDTH, HEIGHT = 1000, 1000
LOADS = 3  # tries at loading a page until Orca reads its heading
MODE_WORDS = ("浏览模式", "焦点模式")  # Orca's browse/focus mode change: not about a control

ORCA_CUSTOMIZATIONS = """\
import logging

# Orca logs each utterance to the ``speech`` logger; keep them in a file, flushed line by line.
_handler = logging.FileHandler({path!r}, encoding="utf-8")
_handler.setFormatter(logging.Formatter("%(message)s"))
logging.getLogger("speech").addHandler(_handler)

import orca.settings

# Keys pressed are counted and typed words are the person's own: neither is read back, so
# what is heard after a key is what the app and Orca say about it.
orca.settings.enableKeyEcho = False
orca.settings.enableEchoByCharacter = False
orca.settings.enableEchoByWord = False
orca.settings.enableEchoBySentence = False
"""
# "SPEECH OUTPUT: '搜索服务 按钮.'", sometimes followed by the voice: " {'established': …}".
UTTERANCE = re.compile(r"^SPEECH OUTPUT: '(.*)'(?: \{.*\})?$")
# /usr/bin/orca refuses to start while any other Orca of this user runs, and --replace kills
# it: two desks (two test runs on one machine) would stop each other. This starts Orca's own
# main loop the way /usr/bin/orca does, without that check, and under another process name.
SYSTEM_PYTHON = "/usr/bin/python3"
ORCA_LAUNCHER = """
import sys
from orca import orca
manager = orca.getSettingsManager()
manager.activate(sys.argv[1], {})
sys.path.insert(0, manager.getPrefsDir())
sys.exit(orca.main())
"""
SPEECHD_CONF = """
AudioOutputMethod "alsa"
AudioALSADevice "null"
DefaultModule espeak-ng
DefaultLanguage "zh"
"""


def missing_programs() -> list[str]:
    """The Debian packages still to install for the desk (empty when it can run)."""
    missing = [pkg for program, pkg in PROGRAMS.items() if shutil.which(program) is None]
    if not AT_SPI_BUS.exists():
        missing.append("at-spi2-core")
    if not Path(CHROMIUM).exists():
        missing.append("chromium")
    return missing


def locale_available() -> bool:
    names = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.split()
    return any(name.lower() in ("zh_cn.utf8", "zh_cn.utf-8") for name in names)


@dataclass
class Heard:
    """What Orca said, read from its speech log."""

    path: Path
    _seen: int = 0

    def lines(self) -> list[str]:
        if not self.path.exists():
            return []
        text = self.path.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if line.startswith("SPEECH OUTPUT:")]

    def utterances(self) -> list[str]:
        """Each utterance's text, without Orca's log framing."""
        said = (UTTERANCE.match(line) for line in self.lines())
        return [m.group(1).strip() for m in said if m and m.group(1).strip()]

    def mark(self) -> int:
        """A point to read from: what is said after it is new."""
        self._seen = len(self.utterances())
        return self._seen

    def since(self, start: int | None = None) -> list[str]:
        return self.utterances()[self._seen if start is None else start :]


@dataclass
class Desk:
    """The processes of one virtual desk, with the environment they share."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)

    def start(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        log = (self.root / f"{name}.log").open("wb")
        process = subprocess.Popen(
            ["nice", "-n", str(DESK_PRIORITY), *argv],  # nice execs argv: the PID is its own
            env=self.env,
            stdout=kwargs.pop("stdout", log),
            stderr=log,
            **kwargs,
        )
        self.processes.append((name, process))
        return process

    def run(self, argv: list[str]) -> None:
        subprocess.run(argv, env=self.env, check=True, capture_output=True, timeout=30)

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            self.stop_one(process)

    def stop_one(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = [(n, p) for n, p in self.processes if p is not process]

    def log(self, name: str) -> str:
        path = self.root / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


# The desk's processes (Chromium's renderer among them) run ahead of other work on the
# machine, as a person's screen reader and browser do on their own computer. Flutter's web
# engine clears an announcement from its live region 300 ms after writing it; on a machine
# busy with something else Chromium can hand the change to Orca after that, and the
# announcement is never heard. With two busy loops beside it this cut the misses from 2-4 in
# 4 tests to 1 in 8; it does not end them. Raising priority needs root (CI has it);
# elsewhere nice says it cannot and runs the desk at normal priority: it then needs the
# machine to itself.
DESK_PRIORITY = -10
# One desk at a time on a machine: two desks at the same raised priority (two test runs side by
# side reach their Orca tests together) starve each other's Chromium and lose announcements as
# above. A second desk waits here for the first to close.
DESK_LOCK = Path(tempfile.gettempdir()) / "sunshine-orca-desk.lock"


def wait_until(condition: Callable[[], object], timeout_s: float, what: str) -> object:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")


class OrcaDesk:
    """Xvfb, D-Bus, AT-SPI, speech-dispatcher and Orca; Chromium is opened on it by the caller.

    ``press`` sends keys as a keyboard would; ``heard`` is what Orca said.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.desk = Desk(root)
        self.heard = Heard(root / "speech.log")
        self._lock: int | None = None

    # --- start and stop -----------------------------------------------------------------

    def __enter__(self) -> OrcaDesk:
        self._lock = os.open(DESK_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self._lock, fcntl.LOCK_EX)  # released by the kernel if this run dies
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.desk.stop()
        finally:
            if self._lock is not None:
                os.close(self._lock)  # closing the descriptor releases the lock
                self._lock = None

    def _start(self) -> None:
        home = self.root / "home"
        runtime = self.root / "run"
        for path in (home, runtime):
            path.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local/share"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "LANG": LOCALE,
            "LC_ALL": LOCALE,
            "LANGUAGE": "zh_CN:zh",
        }
        self.desk.env = env
        self._start_x(env)
        self._start_dbus(env)
        self.desk.start("at-spi", [str(AT_SPI_BUS), "--launch-immediately"])
        self.desk.run(
            ["gsettings", "set", "org.gnome.desktop.interface", "toolkit-accessibility", "true"]
        )
        self.desk.run(
            [
                "gsettings",
                "set",
                "org.gnome.desktop.a11y.applications",
                "screen-reader-enabled",
                "true",
            ]
        )
        self._start_speech(env)
        self._start_orca()

    def _start_x(self, env: dict[str, str]) -> None:
        # -displayfd: Xvfb picks a free display and writes its number once it is ready.
        read, write = os.pipe()
        self.desk.start(
            "xvfb",
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                f"{WIDTH}x{HEIGHT}x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write,),
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise RuntimeError(f"Xvfb did not start:\n{self.desk.log('xvfb')}")
        env["DISPLAY"] = f":{display}"

    def _start_dbus(self, env: dict[str, str]) -> None:
        process = self.desk.start(
            "dbus",
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
        )
        address = process.stdout.readline().decode().strip()
        if not address:
            raise RuntimeError(f"no session bus:\n{self.desk.log('dbus')}")
        env["DBUS_SESSION_BUS_ADDRESS"] = address

    def _start_speech(self, env: dict[str, str]) -> None:
        conf = self.root / "speechd"
        shutil.copytree("/etc/speech-dispatcher", conf)
        with (conf / "speechd.conf").open("a") as f:
            f.write(SPEECHD_CONF)
        self.desk.start(
            "speech-dispatcher",
            ["speech-dispatcher", "--run-single", "--timeout", "0", "--config-dir", str(conf)],
        )
        socket = Path(env["XDG_RUNTIME_DIR"]) / "speech-dispatcher" / "speechd.sock"
        wait_until(socket.exists, 30, "speech-dispatcher's socket")

    def _start_orca(self) -> None:
        prefs = self.root / "orca"
        prefs.mkdir()
        (prefs / "orca-customizations.py").write_text(
            ORCA_CUSTOMIZATIONS.format(path=str(self.heard.path))
        )
        self.desk.start("orca", [SYSTEM_PYTHON, "-c", ORCA_LAUNCHER, str(prefs)])
        # Orca's first words ("屏幕阅读器启用。") say it is up and its speech works.
        wait_until(self.heard.utterances, 60, "Orca's first words")

    # --- the browser ---------------------------------------------------------------------

    def chromium_profile(self) -> Path:
        """A new profile (no "restore pages?" after the last browser was stopped) with the
        translate bar off (the flag does not do it; the preference does)."""
        profile = self.root / f"chromium-{len(list(self.root.glob('chromium-*')))}"
        (profile / "Default").mkdir(parents=True)
        (profile / "Default" / "Preferences").write_text(
            json.dumps({"translate": {"enabled": False}})
        )
        return profile

    def chromium_args(self) -> list[str]:
        """The browser tests' flags, with a window instead of headless, and accessibility on
        for Orca."""
        return [
            *(arg for arg in CHROMIUM_ARGS if not arg.startswith("--headless")),
            "--force-renderer-accessibility",
            "--window-position=0,0",
            f"--window-size={WIDTH},{HEIGHT}",
            "--lang=zh-CN",
        ]

    # --- the keyboard ---------------------------------------------------------------------

    def press(self, *keys: str) -> None:
        """Press keys one after another (xdotool names: Tab, Return, b, shift+Tab)."""
        for key in keys:
            self.desk.run(["xdotool", "key", "--clearmodifiers", key])

    def type_text(self, text: str) -> None:
        """Type text as a keyboard would (not counted as presses: it is the person's words).
        Slowly: xdotool maps each Chinese character onto a spare key for the moment it is
        typed, and at 60 ms a character was sometimes read with the next one's mapping."""
        self.desk.run(["xdotool", "type", "--delay", "250", text])

    def point_at_window(self) -> None:
        """With no window manager, focus follows the pointer: put it inside the browser."""
        self.desk.run(["xdotool", "mousemove", str(WIDTH // 2), str(HEIGHT // 2)])

    def wait_to_hear(self, fragment: str, timeout_s: float = 30, start: int | None = None) -> str:
        """Until Orca says something containing ``fragment`` (after ``start`` or the mark)."""

        def said() -> str | None:
            return next((u for u in self.heard.since(start) if fragment in u), None)

        try:
            return wait_until(said, timeout_s, f"Orca to say {fragment!r}")  # type: ignore[return-value]
        except TimeoutError as error:
            raise AssertionError(f"{error}; heard {self.heard.since(start)!r}") from None


class ScreenReaderUser:
    """A blind resident at the desk: opens the app in Chromium, turns Flutter's semantics on the
    way a screen-reader user does (Orca's ``b`` to "Enable accessibility", Enter), then only
    presses keys and listens. ``presses`` counts the keys of the task at hand."""

    TURN_ON = "Enable accessibility"

    def __init__(self, desk: OrcaDesk, url: str) -> None:
        self.desk = desk
        self.url = url.rstrip("/")
        self.presses = 0
        self.loads_retried = 0
        self.keys_repeated = 0
        self._browser: subprocess.Popen | None = None

    def open(self, path: str = "/", *, heading: str) -> None:
        """Load ``path`` in a fresh browser and wait until Orca reads the screen's ``heading``;
        the press count starts from there. A load where turning semantics on left Orca on the
        page instead of the heading ("可点击对象") is loaded again (``loads_retried`` counts
        them: the report gives the number)."""
        for _load in range(LOADS):
            if self._load(path, heading):
                self.desk.heard.mark()
                self.presses = 0
                return
            self.loads_retried += 1
        raise AssertionError(f"{heading!r} never read after {LOADS} loads")

    def _load(self, path: str, heading: str) -> bool:
        self.close()  # a fresh browser each time: nothing carried over but the app's own state
        profile = self.desk.chromium_profile()
        argv = [CHROMIUM, f"--user-data-dir={profile}", *self.desk.chromium_args(), self.url + path]
        self._browser = self.desk.desk.start("chromium", argv)
        self.desk.point_at_window()
        # Flutter offers "Enable accessibility" once the page is up; its title says so.
        wait_until(lambda: self.window_named("阳光申办"), 90, "the app's window title")
        start = self.desk.heard.mark()
        for _attempt in range(20):
            self.desk.press("b")
            try:
                self.desk.wait_to_hear(self.TURN_ON, timeout_s=5, start=start)
                break
            except AssertionError:
                continue
        else:
            raise AssertionError(f"never reached {self.TURN_ON!r}: {self.desk.heard.since(start)}")
        # Orca names the button before it moves focus there: an Enter that comes too soon
        # goes to the page, so it is pressed again while the button is still what Orca is on.
        start = self.desk.heard.mark()
        for _attempt in range(3):
            self.desk.press("Return")
            try:
                self.desk.wait_to_hear(f"{heading} 标题", timeout_s=10, start=start)
                return True
            except AssertionError:
                if self.desk.heard.since(start):  # semantics are on, but Orca is elsewhere
                    return False
        return False

    def close(self) -> None:
        if self._browser is not None:
            self.desk.desk.stop_one(self._browser)
            self._browser = None

    def window_named(self, fragment: str) -> bool:
        found = subprocess.run(
            ["xdotool", "search", "--name", fragment],
            env=self.desk.desk.env,
            capture_output=True,
            text=True,
        )
        return bool(found.stdout.strip())

    def press(self, key: str, *, hear: str | None = None) -> str:
        """Press ``key`` (counted); with ``hear``, wait until Orca says it after the press and
        return the utterance."""
        start = self.desk.heard.mark()
        self.desk.press(key)
        self.presses += 1
        return self.desk.wait_to_hear(hear, start=start) if hear is not None else ""

    def press_on_named(self, key: str, *, hear: str, silence_s: float = 10) -> str:
        """``press`` for a key whose repeat changes nothing (choosing the day already chosen),
        right after ``tab_to`` heard the control named. Orca names a control before Flutter's
        focus reaches it, so a key pressed at once (no person is that quick) can go to the page,
        and nothing at all is said: then it is pressed again. A repeat is not one of the task's
        presses; ``keys_repeated`` counts them for the report."""
        start = self.desk.heard.mark()
        self.desk.press(key)
        self.presses += 1
        try:
            return self.desk.wait_to_hear(hear, timeout_s=silence_s, start=start)
        except AssertionError:
            if self.desk.heard.since(start):  # something was said: the key was not lost
                return self.desk.wait_to_hear(hear, start=start)
        self.keys_repeated += 1
        start = self.desk.heard.mark()
        self.desk.press(key)
        return self.desk.wait_to_hear(hear, start=start)

    def tab_to(self, name: str, *, limit: int = 15, key: str = "Tab") -> str:
        """Press ``key`` (Tab, or one of Orca's jumps such as ``2`` for the next level-2
        heading) until Orca names ``name``, each press counted and heard before the next, so
        Orca is never pressed ahead of what it says; fail after ``limit`` presses."""
        for _ in range(limit):
            start = self.mark()
            self.press(key)
            said = self._next_utterance(start)
            if name in said:
                return said
        raise AssertionError(
            f"{name!r} not reached in {limit} presses of {key}: {self.desk.heard.since()}"
        )

    def type_text(self, text: str) -> None:
        self.desk.type_text(text)

    def heard_since(self, start: int) -> list[str]:
        return self.desk.heard.since(start)

    def mark(self) -> int:
        return self.desk.heard.mark()

    def _next_utterance(self, start: int, timeout_s: float = 30) -> str:
        """What Orca says about the newly focused thing: what it said after ``start``, once
        that is more than a browse/focus mode change (which may come late from the key
        before)."""

        def about_a_control() -> list[str]:
            return [u for u in self.desk.heard.since(start) if u not in MODE_WORDS]

        wait_until(about_a_control, timeout_s, "Orca to say what has focus")
        return " ".join(about_a_control())
