"""Request and response shapes of the consent routes. Bodies forbid unknown fields."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from backend.core.security import normalise_phone
from backend.proxy.models import ConsentState, Lasts, ProxyKind


class ConsentCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lasts: Lasts = Field(
        default=Lasts.DAY,
        description="How long the consent will last once redeemed: `day` 12 hours, `month` 30 "
        "days.",
    )


class ConsentCodePublic(BaseModel):
    code: str = Field(
        pattern=r"^[0-9]{8}$",
        description="Read it, with the resident's phone number, to the helper; works once.",
    )
    expires_at: datetime
    lasts: Lasts


class RedeemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resident_phone: str = Field(
        max_length=32,
        examples=["13800000001"],
        description="The resident's mobile number: their code works only with it.",
    )
    code: str = Field(max_length=32, examples=["12345678"], description="The resident's code.")

    @field_validator("resident_phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalise_phone(value)


class PersonPublic(BaseModel):
    id: int
    name: str
    phone_masked: str = Field(examples=["138****0001"])


class ProxyActionPublic(BaseModel):
    id: int
    kind: ProxyKind
    at: datetime
    target: dict[str, Any] = Field(description="The path parameters of the request, by name.")


class ConsentPublic(BaseModel):
    id: str
    state: ConsentState
    resident: PersonPublic
    helper: PersonPublic
    granted_at: datetime
    confirmed_at: datetime | None = Field(
        description="When the resident confirmed it; null while pending."
    )
    expires_at: datetime = Field(
        description="While pending, when it lapses unconfirmed; then when it ends by itself."
    )
    ended_at: datetime | None
    version: int
    actions: list[ProxyActionPublic] = Field(
        description="What the helper did for the resident, newest first ([] in the helper's list)."
    )


class ConsentList(BaseModel):
    items: list[ConsentPublic]
