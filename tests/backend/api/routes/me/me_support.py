"""What the /me route tests share besides fixtures: their path, and signing in (shared with the
other route tests through ``route_support``)."""

from route_support import API, DEV_CODE, auth

ME = f"{API}/me"

__all__ = ["DEV_CODE", "ME", "auth"]
