"""The Django project (settings, URLs, WSGI entry point) of the users example."""
