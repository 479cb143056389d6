"""Every table of the backend, registered on one ``metadata``: each feature's models module is
imported here, so whatever needs the whole schema (the app at start, Alembic) imports this."""

from backend import models
from backend.core import attempts, key_checks
from backend.events import models as events_models
from backend.notify import models as notify_models
from backend.proxy import models as proxy_models
from backend.trips import models as trips_models

FEATURE_MODELS = (
    models,
    attempts,
    key_checks,
    events_models,
    notify_models,
    proxy_models,
    trips_models,
)
metadata = models.Base.metadata
