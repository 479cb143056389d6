"""One module per screen: controls built from state; they call the app layer, never httpx."""
