"""The Django Ninja example: the Django example's project and users model, with a Ninja API."""
