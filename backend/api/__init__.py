"""HTTP layer: dependencies and one router per resource, mounted under ``/api/v1``."""
