"""The consent code: 6 digits from ``secrets``, kept only as its sha256.

Six digits can be found from their hash by trying all of them, so what protects a code is that it
lives 10 minutes, works once, dies when the resident makes another, and that a helper gets only
5 wrong tries in 10 minutes; the hash keeps a database dump from showing a live code at a glance.
"""

import hashlib
import re
import secrets

CODE = re.compile(r"[0-9]{6}")


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def hash_code(code: str) -> str:
    return hashlib.sha256(f"sunshine-consent:{code}".encode()).hexdigest()
