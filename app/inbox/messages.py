"""Sentences about the 政策找人 inbox: the unread count, the answers, a reply's confirmation."""

from __future__ import annotations

from app.i18n import N_, _, ngettext
from services.inbox.kinds import INBOX_REPLY
from services.personal import PersonalView
from services.sync.outbox import Rejection

# The answers a person can give (services/inbox/kinds.py INBOX_ANSWERS), as button labels.
ANSWER_LABELS = {
    "interested": N_("I'm interested"),
    "not_interested": N_("Not for me"),
    "need_help": N_("I need help"),
}


def unread_count(personal: PersonalView) -> int:
    """Pushed policies the person has not answered (waiting answers count as answered)."""
    return sum(1 for item in personal.inbox if item.get("answer") is None)


def inbox_action_label(unread: int) -> str:
    """The home screen's inbox action, with the unread count when there is one."""
    if not unread:
        return _("Policies for you")
    return ngettext(
        "Policies for you ({count} new)", "Policies for you ({count} new)", unread
    ).format(count=unread)


def unread_sentence(unread: int) -> str:
    return ngettext(
        "{count} policy pushed to you is waiting for your answer.",
        "{count} policies pushed to you are waiting for your answer.",
        unread,
    ).format(count=unread)


def answer_sentence(answer: str | None) -> str:
    if answer is None:
        return _("You have not answered yet.")
    return _("Your answer: {answer}.").format(answer=_(ANSWER_LABELS.get(answer, answer)))


def reply_saved_sentence(answer: str) -> str:
    return _(
        "Your answer “{answer}” was saved on this device and will be sent to the server shortly."
    ).format(answer=_(ANSWER_LABELS.get(answer, answer)))


def inbox_rejection_sentence(rejection: Rejection) -> str | None:
    """An answer to a pushed policy the server refused; None for other kinds."""
    if rejection.kind != INBOX_REPLY:
        return None
    return _("Your answer to a policy message was not accepted and has been undone.")
