"""Sizes, themes, semantics helpers and announcements: accessibility by construction."""
