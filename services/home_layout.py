"""How the person arranged their home screen (服务自定义设置): section order, hidden sections and
pinned services. Kept in the preferences (``Preferences.home``).

A layout is a value: every change returns a new one. What is stored is kept as given, so a
layout saved by a newer app (with sections this one does not know) still loads; ``sections()``
is what the app shows from: unknown ids dropped, duplicates dropped, and every known section
present -- one the stored order lacks (say, a section added in an update) at its default index.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

# Section ids, in their default order.
SECTIONS: tuple[str, ...] = (
    "pinned",
    "quick",
    "profile",
    "frequent",
    "common",
    "records",
    "visits",
    "districts",
)


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _moved(values: tuple[str, ...], value: str, offset: int) -> tuple[str, ...]:
    """``values`` with ``value`` moved by ``offset`` places, clamped to the ends."""
    if value not in values:
        return values
    rest = [v for v in values if v != value]
    index = min(max(values.index(value) + offset, 0), len(rest))
    rest.insert(index, value)
    return tuple(rest)


class HomeLayout(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    order: tuple[str, ...] = SECTIONS
    hidden: tuple[str, ...] = ()
    pinned: tuple[str, ...] = ()  # service ids, in the order shown

    @field_validator("hidden", "pinned")
    @classmethod
    def _no_duplicates(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        return _unique(values)

    # -- reading ------------------------------------------------------------------------------

    def sections(self) -> tuple[str, ...]:
        """Every known section once, in the person's order (see the module's docstring)."""
        order = [s for s in _unique(self.order) if s in SECTIONS]
        for index, section in enumerate(SECTIONS):
            if section not in order:
                order.insert(index, section)  # list.insert clamps to the end
        return tuple(order)

    def visible(self) -> tuple[str, ...]:
        return tuple(s for s in self.sections() if s not in self.hidden)

    def is_hidden(self, section: str) -> bool:
        return section in self.hidden

    def is_pinned(self, service_id: str) -> bool:
        return service_id in self.pinned

    def position(self, section: str) -> tuple[int, int]:
        """``(place, count)`` of a section among all sections, hidden ones included; ``place``
        counts from 1, for "2 of 8". ValueError for an unknown section."""
        sections = self.sections()
        return sections.index(section) + 1, len(sections)

    # -- changing: each returns a new layout ---------------------------------------------------

    def move(self, section: str, offset: int) -> HomeLayout:
        """``section`` moved ``offset`` places (negative: up), clamped to the ends; an unknown
        section changes nothing. The stored order becomes the normalised one."""
        return self.model_copy(update={"order": _moved(self.sections(), section, offset)})

    def hide(self, section: str) -> HomeLayout:
        if section not in SECTIONS or section in self.hidden:
            return self
        return self.model_copy(update={"hidden": (*self.hidden, section)})

    def show(self, section: str) -> HomeLayout:
        return self.model_copy(update={"hidden": tuple(s for s in self.hidden if s != section)})

    def pin(self, service_id: str) -> HomeLayout:
        """Pinned last; pinning a pinned service changes nothing."""
        if service_id in self.pinned:
            return self
        return self.model_copy(update={"pinned": (*self.pinned, service_id)})

    def unpin(self, service_id: str) -> HomeLayout:
        return self.model_copy(update={"pinned": tuple(p for p in self.pinned if p != service_id)})

    def move_pin(self, service_id: str, offset: int) -> HomeLayout:
        """Like ``move``, among the pinned services; one not pinned changes nothing."""
        return self.model_copy(update={"pinned": _moved(self.pinned, service_id, offset)})
