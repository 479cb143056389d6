"""The client's core: HTTP, the local store, sync. Never imports flet (import-linter checks)."""
