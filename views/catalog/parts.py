"""What the catalogue detail screens share: labelled lines, link buttons, the example-data note."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import flet as ft

from accessibility.semantics import action_button, body_text
from accessibility.theme import current_look
from app.actions import Actions
from app.i18n import N_, _
from app.words import join_and
from services.catalog import CatalogRecord

# A record field's name, as a line's label and in the example-data note (assets/seed/README.md).
FIELD_LABELS = {
    "name": N_("Name"),
    "title": N_("Title"),
    "description": N_("Description"),
    "materials": N_("Materials to bring"),
    "steps": N_("Steps"),
    "where": N_("Where to apply"),
    "how": N_("How to apply"),
    "kind": N_("Kind"),
    "district": N_("District"),
    "address": N_("Street address"),
    "phone": N_("Phone"),
    "hours": N_("Opening hours"),
    "accessibility": N_("Accessibility"),
    "issuer": N_("Issued by"),
    "date": N_("Date"),
    "doc_number": N_("Document number"),
    "summary": N_("Summary"),
}


def field_label(name: str) -> str:
    return _(FIELD_LABELS.get(name, name))


def field_line(name: str, value: Any) -> ft.Control | None:
    """ "Address: …", or nothing when the record leaves the field empty."""
    if value in (None, ""):
        return None
    return body_text(_("{label}: {value}").format(label=field_label(name), value=value))


def field_lines(record: CatalogRecord, names: Iterable[str]) -> list[ft.Control]:
    lines = (field_line(name, getattr(record, name, None)) for name in names)
    return [line for line in lines if line is not None]


def example_note(record: CatalogRecord, identifier: str = "example-data") -> ft.Control | None:
    """Says which fields are unverified example data; nothing for a checked record."""
    if not record.example_data:
        return None
    if record.example_fields:
        text = _(
            "Example data, not yet checked against official sources: {fields}. "
            "Please rely on what is officially published."
        ).format(fields=join_and(field_label(f) for f in record.example_fields))
    else:
        text = _("Some details here are example data and have not been verified.")
    look = current_look()
    scale, palette = look.scale, look.palette
    return ft.Semantics(
        identifier=identifier,
        container=True,
        # No icon: at 200 % text it would take a third of a phone's width from the words.
        content=ft.Container(
            content=ft.Text(text, size=scale.body, color=palette.offline_fg),
            bgcolor=palette.offline_bg,
            padding=scale.padding,
            border_radius=scale.radius,
            border=ft.Border.all(palette.border_width, palette.offline_fg),
        ),
    )


def link_buttons(links: Iterable[tuple[str, str, str]], actions: Actions) -> ft.Control:
    """A full-width button per (label, identifier, route), one under the other."""
    return ft.Column(
        [
            action_button(label, identifier, _go(actions, route))
            for label, identifier, route in links
        ],
        spacing=current_look().scale.gap,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _go(actions: Actions, route: str):
    return lambda _e: actions.go(route)
