"""Test-only: look through this process for strings a kiosk must have forgotten.

Enabled by ``SUNSHINE_MEMORY_PROBE_DIR`` (refused in production, services/config.py). A test
writes ``<dir>/request.json`` ``{"capture_tokens": bool, "needles": [...]}``; a watcher thread
answers in ``<dir>/report.json`` and removes the request. ``capture_tokens`` adds the tokens
the app holds at that moment to the needles (the test never sees them otherwise).

The search walks every object reachable from the garbage collector's roots and the modules
(``gc.get_referents`` also reaches the tuples and dicts CPython stops tracking), and reads every
row of every table in the local store (kiosk temp tables included). Freed C memory that
Python has not reused is not searched: nothing in Python can reach it.
"""

from __future__ import annotations

import gc
import json
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

from app.context import AppContext

logger = logging.getLogger(__name__)
POLL = 0.2


class MemoryProbe:
    def __init__(self, folder: Path, ctx: AppContext) -> None:
        self.folder = folder
        self.ctx = ctx
        # What is searched for. Skipped by identity, so the probe never finds itself.
        self._needles: list[str] = []
        self._tokens: list[str] = []  # captured once, kept for the searches after the wipe

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self._watch, name="memory-probe", daemon=True).start()
        logger.warning("memory probe enabled (tests only): %s", self.folder)

    def _watch(self) -> None:
        request = self.folder / "request.json"
        while True:
            if request.exists():
                try:
                    self._answer(json.loads(request.read_text(encoding="utf-8")))
                except Exception:
                    logger.exception("memory probe request failed")
                request.unlink(missing_ok=True)
            time.sleep(POLL)

    def _answer(self, request: dict[str, Any]) -> None:
        if request.get("capture_tokens"):
            pair = self.ctx.personal.account.tokens.load()
            # Copies: the probe skips its own strings by identity, and must still find the
            # token store's (the test checks that it does, before the wipe).
            held = [] if pair is None else [pair.access_token, pair.refresh_token]
            self._tokens = ["".join(list(token)) for token in held]
            del pair, held
        labels = [str(i) for i, n in enumerate(request.get("needles", [])) if n]
        labels += ["access_token", "refresh_token"][: len(self._tokens)]
        self._needles = [str(n) for n in request.get("needles", []) if n] + self._tokens
        del request
        report = {
            "captured_tokens": len(self._tokens),
            "objects": _labelled(self._search_objects(), labels),
            "store": _labelled(self._search_store(), labels),
        }
        out = self.folder / "report.json.tmp"
        out.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
        out.replace(self.folder / "report.json")

    def _search_objects(self) -> dict[int, list[str]]:
        """For each needle (by position), the types of the live objects that contain it."""
        gc.collect()
        needles = self._needles
        skip = {id(n) for n in needles} | {id(needles), id(self._tokens), id(self.__dict__)}
        encoded = [n.encode() for n in needles]
        skip |= {id(e) for e in encoded} | {id(encoded)}
        found: dict[int, list[str]] = {}
        seen: set[int] = set(skip)
        stack: list[Any] = [*gc.get_objects(), *sys.modules.values()]
        for frame in sys._current_frames().values():  # what running threads hold right now
            while frame is not None:
                stack.append(frame.f_locals)
                frame = frame.f_back
        while stack:
            obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, str):
                hits = [i for i, n in enumerate(needles) if n in obj]
            elif isinstance(obj, (bytes, bytearray)):
                hits = [i for i, n in enumerate(encoded) if n in obj]
            else:
                stack.extend(gc.get_referents(obj))
                continue
            for i in hits:
                found.setdefault(i, []).append(f"{type(obj).__name__} of length {len(obj)}")
        return found

    def _search_store(self) -> dict[int, list[str]]:
        store = self.ctx.store
        found: dict[int, list[str]] = {}
        tables = store.read(
            "SELECT 'main', name FROM main.sqlite_master WHERE type = 'table' "
            "UNION ALL SELECT 'temp', name FROM temp.sqlite_master WHERE type = 'table'"
        )
        for schema, table in tables:
            for row in store.read(f'SELECT * FROM {schema}."{table}"'):
                text = json.dumps(row, ensure_ascii=False, default=str)
                for i, needle in enumerate(self._needles):
                    if needle in text:
                        found.setdefault(i, []).append(f"{schema}.{table}")
        return found


def _labelled(found: dict[int, list[str]], labels: list[str]) -> dict[str, list[str]]:
    """Findings under the needle's label (its index in the request, or which token); where
    it was found is named by type and length only, never by repeating the secret."""
    return {labels[i]: places for i, places in found.items()}
