"""The users app: the model, its admin, and the DRF API."""
