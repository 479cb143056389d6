"""Cursor tokens round-trip and reject anything the server could not have issued."""

import pytest

from backend.cursor import Cursor, decode_cursor


@pytest.mark.parametrize(
    ("cursor", "token"),
    [
        (Cursor("0123456789abcdef", 0), "0123456789abcdef.0"),
        (Cursor("0123456789abcdef", 42, floor=7), "0123456789abcdef.42"),
        (Cursor("0123456789abcdef", 3, floor=9), "0123456789abcdef.3.9"),
    ],
)
def test_cursor_round_trips_and_drops_a_floor_it_has_passed(cursor: Cursor, token: str):
    assert cursor.encode() == token
    assert decode_cursor(token).covered_seq == cursor.covered_seq
    assert decode_cursor(token).seq == cursor.seq


@pytest.mark.parametrize("token", ["", "0123456789abcdef", "zz.1", "0123456789abcdef.1e3"])
def test_malformed_cursor_raises_value_error(token: str):
    with pytest.raises(ValueError):
        decode_cursor(token)
