"""The backend's secret keys: one file, several keys by id, the newest one in use.

A key file is JSON, ``{"current": "<id>", "keys": {"<id>": "<64 hex digits>", ...}}``: 256-bit
master secrets named by an id, so data written under an older key stays readable after a new
one becomes current (rotation). Production names the file (``SUNSHINE_KEY_FILE``; the server
refuses to start without a readable one); dev mode makes its own in the data dir on first
start. ``python -m backend new-key-file PATH`` writes a new file for a deployment.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEV_KEY_FILE_NAME = "backend-keys.json"
SECRET_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


class KeyFileError(ValueError):
    """The key file is missing or unusable; the message says what to do."""


@dataclass(frozen=True)
class KeyRing:
    current: str
    secrets: dict[str, bytes]

    @property
    def current_secret(self) -> bytes:
        return self.secrets[self.current]

    @classmethod
    def load(cls, path: Path) -> KeyRing:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KeyFileError(
                f"the key file {path} does not exist "
                "(python -m backend new-key-file PATH makes one)"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise KeyFileError(f"the key file {path} cannot be read: {error}") from None
        return cls.from_document(document, path)

    @classmethod
    def from_document(cls, document: object, path: Path) -> KeyRing:
        keys = document.get("keys") if isinstance(document, dict) else None
        current = document.get("current") if isinstance(document, dict) else None
        if not isinstance(keys, dict) or not keys or current not in keys:
            raise KeyFileError(
                f'the key file {path} must hold {{"current": ID, "keys": {{ID: HEX, ...}}}} '
                "with the current id among the keys"
            )
        parsed: dict[str, bytes] = {}
        for key_id, value in keys.items():
            if not _KEY_ID.fullmatch(key_id):
                raise KeyFileError(f"the key file {path}: key id {key_id!r} is not 1-32 letters")
            try:
                secret = bytes.fromhex(value) if isinstance(value, str) else b""
            except ValueError:
                secret = b""
            if len(secret) != SECRET_BYTES:
                raise KeyFileError(
                    f"the key file {path}: key {key_id!r} is not {SECRET_BYTES * 2} hex digits"
                )
            parsed[key_id] = secret
        return cls(current=str(current), secrets=parsed)

    @classmethod
    def create(cls, path: Path, key_id: str = "k1") -> KeyRing:
        """A new file holding one random key, readable by its owner only. Never overwrites
        (FileExistsError), and appears whole: written beside it, then linked into place."""
        ring = cls(current=key_id, secrets={key_id: secrets.token_bytes(SECRET_BYTES)})
        document = {"current": key_id, "keys": {key_id: ring.current_secret.hex()}}
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, draft = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(document, file, indent=2)
                file.write("\n")
            os.link(draft, path)
        finally:
            os.unlink(draft)
        return ring

    @classmethod
    def load_or_create(cls, path: Path) -> KeyRing:
        """Dev mode's own key: made on first start, the same one afterwards."""
        if not path.exists():
            try:
                return cls.create(path)
            except FileExistsError:  # another process made it first
                pass
        return cls.load(path)
