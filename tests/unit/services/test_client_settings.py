"""The client in production talks to its backend only over TLS (issue 18, item 11)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.config import ClientSettings


@pytest.mark.parametrize("api_url", ["", "http://sunshine.example.cn", "ftp://x"])
def test_production_refuses_a_backend_that_is_not_https(api_url: str) -> None:
    with pytest.raises(ValidationError, match="https://"):
        ClientSettings(env="production", api_url=api_url)


def test_production_accepts_https_and_dev_anything() -> None:
    assert ClientSettings(env="production", api_url="https://sunshine.example.cn").api_url
    assert ClientSettings(env="dev", api_url="http://127.0.0.1:8000").api_url
    assert ClientSettings(env="dev", api_url="").api_url == ""  # the embedded demo backend
