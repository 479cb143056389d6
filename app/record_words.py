"""The states of a person's service records (/me/service-records), as words."""

from __future__ import annotations

from app.i18n import N_

RECORD_STATUS = {
    "submitted": N_("submitted"),
    "in_review": N_("in review"),
    "completed": N_("completed"),
    "rejected": N_("not approved"),
}
