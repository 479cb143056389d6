"""What a kiosk says about its idle reset and its wipe."""

from __future__ import annotations

from app.i18n import _, ngettext


def idle_warning_sentence(seconds_left: int) -> str:
    return ngettext(
        "Are you still there? In {n} second this session ends and everything you entered is "
        "cleared. To keep going, press Continue.",
        "Are you still there? In {n} seconds this session ends and everything you entered is "
        "cleared. To keep going, press Continue.",
        seconds_left,
    ).format(n=seconds_left)


def countdown_sentence(seconds_left: int) -> str:
    return ngettext("{n} second left.", "{n} seconds left.", seconds_left).format(n=seconds_left)


def continued_sentence() -> str:
    return _("Continuing. Your session stays open.")


def finish_label() -> str:
    return _("Finish and clear my information")


def continue_label() -> str:
    return _("Continue")


def wiped_sentence(unsent: int, timed_out: bool) -> str:
    """Said after the wipe, to the next person as much as to the last."""
    first = (
        _("The session ended after a time without use.")
        if timed_out
        else _("Your session has ended.")
    )
    sentences = [first, _("Everything entered on this kiosk has been cleared.")]
    if unsent:
        sentences.append(
            ngettext(
                "{n} action could not be sent before the end and was cleared with it.",
                "{n} actions could not be sent before the end and were cleared with them.",
                unsent,
            ).format(n=unsent)
        )
    return " ".join(sentences)


def finishing_sentence() -> str:
    return _("Finishing: sending what is waiting, then clearing everything…")
