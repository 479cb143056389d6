"""Cross-cutting plumbing: settings, database engine, RFC 9457 problem responses."""
