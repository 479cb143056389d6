"""What the /me route tests share besides fixtures: the dev sign-in code and signing in."""

from fastapi.testclient import TestClient

ME = "/api/v1/me"
DEV_CODE = "135790"


def auth(client: TestClient, phone: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", json={"phone": phone, "code": DEV_CODE})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
