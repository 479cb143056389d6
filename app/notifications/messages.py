"""Sentences about the person's messages as a whole: how many are new, and the home's entry."""

from __future__ import annotations

from app.i18n import _, ngettext


def unread_messages_sentence(unread: int) -> str:
    return ngettext("{count} new message.", "{count} new messages.", unread).format(count=unread)


def messages_action_label(unread: int) -> str:
    if not unread:
        return _("Messages")
    return ngettext("Messages ({count} new)", "Messages ({count} new)", unread).format(count=unread)
