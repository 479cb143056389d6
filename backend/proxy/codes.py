"""The consent code: 8 digits from ``secrets``, kept only as its HMAC-SM3 under the pepper.

A code works only with its resident's phone number (``crud.redeem``): a guesser must aim at one
person, and has 10⁸ codes to try for them. Digits could be found from a plain hash by trying
all of them; the pepper is a key the database does not hold, so a dump alone cannot be tried.
What else protects a code is that it lives 10 minutes, works once, dies when the resident makes
another, and the limits on wrong tries per helper, per address and across the service.
"""

import re
import secrets

from backend.core.crypto import FieldCipher

DIGITS = 8
CODE = re.compile(rf"[0-9]{{{DIGITS}}}")


def new_code() -> str:
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def hash_code(cipher: FieldCipher, code: str) -> str:
    return cipher.peppered(f"sunshine-consent:{code}")
