"""Sunshine reference backend: the server the client syncs against (FastAPI + SQLAlchemy).

It shares no code with the client; the HTTP contract (see ``openapi.json``) is the only link.
"""

__version__ = "0.1.0"
