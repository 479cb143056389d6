"""The person's rows in the local store, sealed with SM4-GCM under a key kept in the token
store (the OS keyring, or the phone's and browser's secure storage): a copied data dir shows
no name, phone, place or code word, only ``sm4:…`` values.

The store's connection gets three SQL functions, so sealing happens in the statements that
read and write the rows: ``seal(text, label)``, ``unseal(stored, label)`` and
``sealed_here(stored, label)`` (whether this key opens the value). The label names the column
and is the associated data, so a value moved to another column does not open.

Written here rather than shared with ``backend/core/crypto.py``: the client must not import
the server's package, and the two need different things (one key, no rotation, no indexes).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PREFIX = "sm4:"
KEY_BYTES = 16  # SM4's key
NONCE_BYTES = 12
TAG_BYTES = 16


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


class RowSealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError(f"an SM4 key is {KEY_BYTES} bytes")
        self._sm4 = algorithms.SM4(key)

    def seal(self, text: str, label: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(self._sm4, modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(label.encode())
        sealed = encryptor.update(text.encode()) + encryptor.finalize()
        return PREFIX + base64.b64encode(nonce + sealed + encryptor.tag).decode()

    def unseal(self, stored: str, label: str) -> str:
        """The text; ValueError if this key did not seal it for ``label``."""
        if not stored.startswith(PREFIX):
            raise ValueError("not a sealed value")
        raw = base64.b64decode(stored[len(PREFIX) :])
        nonce, sealed, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        decryptor = Cipher(self._sm4, modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(label.encode())
        try:
            return (decryptor.update(sealed) + decryptor.finalize()).decode()
        except InvalidTag as error:
            raise ValueError("sealed under another key or for another column") from error

    def sealed_here(self, stored: str, label: str) -> bool:
        try:
            self.unseal(stored, label)
        except ValueError:
            return False
        return True
