"""SM4-GCM field values and HMAC-SM3 blind indexes (backend.core.crypto)."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes

from backend.core.crypto import DecryptionError, FieldCipher, hmac_sm3
from backend.core.keys import KeyRing

PHONE = "13800000001"


@pytest.fixture
def ring(tmp_path: Path) -> KeyRing:
    return KeyRing.create(tmp_path / "keys.json")


def rotated(ring: KeyRing, tmp_path: Path) -> KeyRing:
    """The ring with a second key, made current (older values stay readable)."""
    document = {
        "current": "k2",
        "keys": {**{k: v.hex() for k, v in ring.secrets.items()}, "k2": "ab" * 32},
    }
    path = tmp_path / "rotated.json"
    path.write_text(json.dumps(document))
    return KeyRing.load(path)


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def test_hmac_sm3_is_rfc_2104_over_the_standard_sm3():
    # GB/T 32905-2016, example 1: SM3("abc").
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    key = b"sunshine-key"
    padded = key.ljust(64, b"\0")  # SM3's block is 64 bytes
    inner = sm3(bytes(b ^ 0x36 for b in padded) + b"abc")
    assert hmac_sm3(key, b"abc") == sm3(bytes(b ^ 0x5C for b in padded) + inner)


def test_a_value_round_trips_and_shows_nothing_of_itself(ring: KeyRing):
    cipher = FieldCipher(ring)

    stored = cipher.encrypt(PHONE, "users.phone")

    assert stored.startswith("sm4:k1:") and PHONE not in stored
    assert cipher.decrypt(stored, "users.phone") == PHONE
    assert cipher.encrypt(PHONE, "users.phone") != stored  # a fresh nonce every time


def test_a_value_moved_or_changed_does_not_decrypt(ring: KeyRing):
    cipher = FieldCipher(ring)
    stored = cipher.encrypt("张阿姨", "users.name")

    with pytest.raises(DecryptionError):
        cipher.decrypt(stored, "volunteers.real_name")
    tampered = stored[:-4] + ("AAAA" if not stored.endswith("AAAA") else "BBBB")
    with pytest.raises(DecryptionError):
        cipher.decrypt(tampered, "users.name")
    with pytest.raises(DecryptionError):
        cipher.decrypt("张阿姨", "users.name")  # plain text is not taken for a value


def test_after_a_rotation_old_values_read_and_new_ones_use_the_new_key(
    ring: KeyRing, tmp_path: Path
):
    old = FieldCipher(ring).encrypt(PHONE, "users.phone")
    cipher = FieldCipher(rotated(ring, tmp_path))

    assert cipher.decrypt(old, "users.phone") == PHONE
    assert cipher.key_of(cipher.encrypt(PHONE, "users.phone")) == "k2"


def test_blind_indexes_match_equal_values_and_follow_the_rotation(ring: KeyRing, tmp_path: Path):
    before = FieldCipher(ring)
    after = FieldCipher(rotated(ring, tmp_path))

    assert before.index(PHONE) == before.index(PHONE) != before.index("13800000002")
    assert PHONE not in before.index(PHONE)
    assert after.index(PHONE) != before.index(PHONE)
    assert set(after.indexes(PHONE)) == {before.index(PHONE), after.index(PHONE)}
