"""The consent code: 6 digits from ``secrets``, kept only as its HMAC-SM3 under the pepper.

Six digits could be found from a plain hash by trying all of them; the pepper is a key the
database does not hold, so a dump alone cannot be tried. What else protects a code is that it
lives 10 minutes, works once, dies when the resident makes another, and that a helper gets only
5 wrong tries in 10 minutes.
"""

import re
import secrets

from backend.core.crypto import FieldCipher

CODE = re.compile(r"[0-9]{6}")


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(cipher: FieldCipher, code: str) -> str:
    return cipher.peppered(f"sunshine-consent:{code}")
