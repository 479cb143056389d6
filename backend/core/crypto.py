"""National-standard cryptography for data at rest: SM4-GCM field encryption and HMAC-SM3, both
from ``cryptography`` (OpenSSL), keyed by the key file (``backend.core.keys``).

Each 256-bit key of the ring is a master secret; what it is used for is derived from it with
HMAC-SM3 and a purpose label, so the SM4 key, the blind-index key and the code pepper of one
master differ and none reveals another.

- ``FieldCipher.encrypt`` writes ``sm4:<key id>:<base64 of nonce | ciphertext | tag>``: a fresh
  96-bit nonce per value, the key id so the value is read with the key that wrote it after the
  current key has changed (rotation), and the column's name as associated data, so a value
  copied into another column does not decrypt.
- ``FieldCipher.index`` is the blind index of a value looked up by equality (a phone number):
  HMAC-SM3 under the current key; ``indexes`` gives it under every key, for lookups while a
  rotation re-indexes the rows.
- ``FieldCipher.peppered`` hashes a secret we only compare (a sign-in code, a token) with
  HMAC-SM3 under a key the database does not hold, so a stolen database cannot be used to try
  codes offline; ``peppered_all`` gives it under every key (a token outlives a rotation).

``backend.core.sealed`` applies the cipher to columns.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from backend.core.keys import KeyRing

PREFIX = "sm4"
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(ValueError):
    """A stored value is not ours, was changed, or names a key the ring does not hold."""


def hmac_sm3(key: bytes, message: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(message)
    return mac.finalize()


def _derive(master: bytes, purpose: str) -> bytes:
    return hmac_sm3(master, f"sunshine/{purpose}".encode())


class FieldCipher:
    def __init__(self, ring: KeyRing) -> None:
        self.current = ring.current
        self._sm4 = {kid: _derive(m, "sm4-field")[:16] for kid, m in ring.secrets.items()}
        self._index = {kid: _derive(m, "blind-index") for kid, m in ring.secrets.items()}
        self._pepper = {kid: _derive(m, "pepper") for kid, m in ring.secrets.items()}
        self._check = {kid: _derive(m, "key-check") for kid, m in ring.secrets.items()}

    def encrypt(self, text: str, column: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        encryptor = Cipher(algorithms.SM4(self._sm4[self.current]), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(column.encode())
        sealed = encryptor.update(text.encode()) + encryptor.finalize()
        payload = base64.b64encode(nonce + sealed + encryptor.tag).decode()
        return f"{PREFIX}:{self.current}:{payload}"

    def decrypt(self, stored: str, column: str) -> str:
        prefix, kid, payload = [*stored.split(":", 2), "", ""][:3]
        key = self._sm4.get(kid)
        if prefix != PREFIX or key is None:
            raise DecryptionError(f"not an SM4 value of a known key ({prefix!r}, {kid!r})")
        raw = base64.b64decode(payload)
        nonce, sealed, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(column.encode())
        try:
            return (decryptor.update(sealed) + decryptor.finalize()).decode()
        except InvalidTag as error:
            raise DecryptionError("the value was changed or belongs to another column") from error

    def key_of(self, stored: str) -> str:
        """The id of the key a stored value was written with (rotation re-encrypts the rest)."""
        return stored.split(":", 2)[1]

    def index(self, value: str) -> str:
        return hmac_sm3(self._index[self.current], value.encode()).hex()

    def indexes(self, value: str) -> list[str]:
        return [hmac_sm3(key, value.encode()).hex() for key in self._index.values()]

    def peppered(self, secret: str) -> str:
        return hmac_sm3(self._pepper[self.current], secret.encode()).hex()

    def peppered_all(self, secret: str) -> list[str]:
        return [hmac_sm3(key, secret.encode()).hex() for key in self._pepper.values()]

    def key_ids(self) -> list[str]:
        return list(self._sm4)

    def check_value(self, key_id: str) -> str:
        """Whether two key files hold the same key under ``key_id`` (backend.core.key_checks)."""
        return hmac_sm3(self._check[key_id], b"sunshine key check").hex()
