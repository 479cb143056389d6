"""Code words people can say to each other, the SMS stand-in of dev mode, and when texts are
looked for."""

import logging

import pytest
from fastapi import FastAPI
from pypinyin import lazy_pinyin

from backend.crud import get_or_create_user
from backend.notify.models import Notification
from backend.notify.sms import LoggingSmsProvider
from backend.trips.code_words import WORDS, new_code_word


def test_there_are_64_two_character_words_no_two_read_alike():
    assert len(WORDS) == 64
    assert all(len(word) == 2 for word in WORDS)
    readings = {tuple(lazy_pinyin(word)) for word in WORDS}  # tones ignored
    assert len(readings) == len(WORDS)


def test_a_code_word_is_two_different_words_from_the_list():
    pairs = [new_code_word().split(" ") for _ in range(200)]

    assert all(len(pair) == 2 and pair[0] != pair[1] for pair in pairs)
    assert {word for pair in pairs for word in pair} <= set(WORDS)
    assert len({tuple(pair) for pair in pairs}) > 100, "chosen at random, not a fixed few"


def test_the_logging_provider_logs_a_masked_phone_never_the_text(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.INFO, logger="backend.notify.sms"):
        LoggingSmsProvider().send("13800000001", "【阳光申办】暗号：春风 明月")

    assert caplog.messages == ["SMS to 138****0001 not sent (dev mode: no gateway), 14 characters"]


def test_texts_are_looked_for_only_after_a_commit_that_wrote_one(app: FastAPI):
    waiting, sessions, now = app.state.texts_waiting, app.state.session_factory, app.state.clock()
    waiting.take()  # whatever seeding left

    def notification(sms_phone: str | None) -> Notification:
        user = get_or_create_user(session, "13900000042")
        session.flush()
        return Notification(
            user_id=user.id, kind="trip_claimed", data={}, created_at=now, sms_phone=sms_phone,
            sms_text="【阳光申办】" if sms_phone else None,
        )  # fmt: skip

    with sessions() as session:
        session.add(notification(sms_phone=None))
        session.commit()
        assert not waiting.take(), "no text in it"

        session.add(notification(sms_phone="13900000042"))
        session.flush()
        session.rollback()
        session.add(notification(sms_phone=None))
        session.commit()
        assert not waiting.take(), "the text was rolled back: nothing to send"

        session.add(notification(sms_phone="13900000042"))
        session.commit()
        assert waiting.take()
        assert not waiting.take(), "taken once"
