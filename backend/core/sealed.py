"""Column types that keep personal data encrypted at rest (SM4-GCM, ``backend.core.crypto``).

A sealed column holds ``sm4:<key id>:…`` text on every engine; the model reads and writes the
plain value. The cipher belongs to the engine: ``create_db_engine(url, keys)`` hangs it on the
engine's dialect, where a type's bind and result hooks can reach it. An engine made without the
keys cannot read or write a sealed column at all: it fails instead of storing plain text.

Each column's name is the associated data of its values (``users.phone``), so a value copied
into another column does not decrypt. A sealed value differs each time it is written (a fresh
nonce), so SQL must never compare or sort one: values looked up by equality (a phone number)
have a blind index beside them (``FieldCipher.index``).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import Dialect, Text
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from backend.core.crypto import PREFIX, FieldCipher

_CIPHER = "sunshine_cipher"  # the dialect attribute holding the engine's FieldCipher


class NoKeysError(RuntimeError):
    """A sealed column was used through an engine made without the key ring."""


def attach_cipher(dialect: Dialect, cipher: FieldCipher) -> None:
    setattr(dialect, _CIPHER, cipher)


def cipher_of(dialect: Dialect) -> FieldCipher:
    cipher = getattr(dialect, _CIPHER, None)
    if cipher is None:
        raise NoKeysError("this engine was made without the key ring: create_db_engine(url, keys)")
    return cipher


def session_cipher(session: Session) -> FieldCipher:
    """The cipher of the engine ``session`` is bound to (for blind indexes and peppers)."""
    return cipher_of(session.get_bind().dialect)


def is_sealed(stored: str) -> bool:
    return stored.startswith(f"{PREFIX}:")


class Sealed(TypeDecorator[str]):
    """Text encrypted under the engine's current key, named by ``column`` ("table.column")."""

    impl = Text
    cache_ok = True

    def __init__(self, column: str) -> None:
        super().__init__()
        self.column = column

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return cipher_of(dialect).encrypt(self.encode(value), self.column)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self.decode(cipher_of(dialect).decrypt(value, self.column))

    def encode(self, value: Any) -> str:
        return value

    def decode(self, text: str) -> Any:
        return text


class SealedJSON(Sealed):
    """A JSON document (facts, a notification's data) sealed as one value."""

    cache_ok = True

    def encode(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def decode(self, text: str) -> Any:
        return json.loads(text)


class SealedBytes(Sealed):
    """Bytes (a stored answer's body), sealed as their base64."""

    cache_ok = True

    def encode(self, value: Any) -> str:
        return base64.b64encode(value).decode()

    def decode(self, text: str) -> Any:
        return base64.b64decode(text)
