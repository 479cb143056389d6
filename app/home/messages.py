"""The home screen's section names and what customising it says."""

from __future__ import annotations

from app.i18n import N_, _

SECTION_TITLES = {
    "pinned": N_("Pinned services"),
    "quick": N_("Quick actions"),
    "profile": N_("My profile card"),
    "frequent": N_("Services I use often"),
    "common": N_("Common services"),
    "records": N_("My service records"),
    "visits": N_("Visits and follow-ups"),
    "districts": N_("District flagship services"),
}


def section_title(section: str) -> str:
    msgid = SECTION_TITLES.get(section)
    return section if msgid is None else _(msgid)


def position_sentence(section: str, place: int, count: int) -> str:
    """``place`` counts from 1."""
    return _("{section}: position {position} of {count}.").format(
        section=section_title(section), position=place, count=count
    )


def moved_sentence(section: str, place: int, count: int) -> str:
    return _("Moved. {where}").format(where=position_sentence(section, place, count))


def not_moved_sentence(section: str, first: bool) -> str:
    return (_("{section} is already first.") if first else _("{section} is already last.")).format(
        section=section_title(section)
    )


def hidden_sentence(section: str) -> str:
    return _("{section} is hidden from the home screen.").format(section=section_title(section))


def shown_sentence(section: str) -> str:
    return _("{section} is shown on the home screen.").format(section=section_title(section))


def pinned_sentence(name: str) -> str:
    return _("{service} is pinned to the home screen.").format(service=name)


def unpinned_sentence(name: str) -> str:
    return _("{service} is no longer pinned.").format(service=name)


def pin_moved_sentence(name: str, index: int, count: int) -> str:
    return _("Moved. {service}: position {position} of {count}.").format(
        service=name, position=index + 1, count=count
    )


def home_reset_sentence() -> str:
    return _("The home screen is back to its standard layout.")
