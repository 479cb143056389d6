"""Phone numbers, one-time codes and tokens.

Tokens are opaque random strings (``secrets.token_urlsafe(32)``: 256 bits), and the database
keeps only their HMAC-SM3 under the key file's pepper (``FieldCipher.peppered``). Why not
signed, JWT-like tokens: rotation and reuse detection of refresh tokens, and sign-out, need
server-side state anyway; opaque tokens have no signing key
that could leak or need rotating, and a stolen database yields nothing usable. A fast hash is
enough because the input is 256 random bits (no dictionary to try).

One-time codes are 6 digits, so a plain hash of them could be brute-forced offline. They are
hashed (with the phone and a per-code salt) under the pepper, a key the database does not hold,
so a dump alone cannot be tried; what else protects them is that they live 5 minutes, are used
once, and wrong guesses lock the phone out.
"""

import hmac
import re
import secrets

from backend.core.crypto import FieldCipher

PHONE_RE = re.compile(r"1[3-9][0-9]{9}")  # ASCII digits only: \d also matches ١٢٣
_PHONE_SEPARATORS = re.compile(r"[\s-]")


def normalise_phone(value: str) -> str:
    """Digits only, optional +86 prefix dropped; ValueError with a readable message otherwise."""
    phone = _PHONE_SEPARATORS.sub("", value)
    if phone.startswith("+86"):
        phone = phone[3:]
    if not PHONE_RE.fullmatch(phone):
        raise ValueError(
            "not a mainland China mobile number: expected 11 digits starting with 1 "
            "and then 3-9, e.g. 13800000001"
        )
    return phone


def mask_phone(phone: str) -> str:
    """For logs: 138****0001."""
    return phone[:3] + "****" + phone[-4:]


def mask_id_number(id_number: str | None) -> str | None:
    """First 3 and last 4 characters shown, the rest as ``*``."""
    if not id_number:
        return id_number
    if len(id_number) <= 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(cipher: FieldCipher, phone: str, code: str, salt: str) -> str:
    """``salt$HMAC-SM3(pepper, salt:phone:code)``."""
    return f"{salt}${cipher.peppered(f'{salt}:{phone}:{code}')}"


def new_code_hash(cipher: FieldCipher, phone: str, code: str) -> str:
    return hash_code(cipher, phone, code, secrets.token_hex(8))


def code_matches(cipher: FieldCipher, stored: str, phone: str, code: str) -> bool:
    salt, _, _ = stored.partition("$")
    return hmac.compare_digest(stored, hash_code(cipher, phone, code, salt))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(cipher: FieldCipher, token: str) -> str:
    return cipher.peppered(token)


def token_hashes(cipher: FieldCipher, token: str) -> list[str]:
    """The token's hash under every key of the ring: a token outlives a key rotation."""
    return cipher.peppered_all(token)
