"""Settings of the users example: SQLite, DRF for the API, the admin, WhiteNoise."""

from __future__ import annotations

import os

# An example, never deployed: a real project reads the key from its environment only.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-users-example-only")
DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "users",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware, as WhiteNoise's docs ask: it serves /static/
    # (the admin's CSS and JS) under gunicorn, where DEBUG=False turns Django's off.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The file comes from the environment so that tests, the benchmark and `make example`
# each use their own; examples/run.py creates and migrates it.
# --8<-- [start:concurrency]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["DATABASE_PATH"],
        "OPTIONS": {
            # WAL: readers and the one writer no longer block each other.
            "init_command": "PRAGMA journal_mode=WAL;",
            # atomic() blocks start with BEGIN IMMEDIATE: a write takes the lock up
            # front and waits for it, instead of failing mid-transaction.
            "transaction_mode": "IMMEDIATE",
            # Seconds a write waits for another's lock before the API answers 503:
            # less than a client's timeout (users.views.exception_handler).
            "timeout": float(os.environ.get("DATABASE_BUSY_TIMEOUT", "5")),
        },
    }
}
# --8<-- [end:concurrency]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves the admin's files straight from the installed apps, so the example
# runs from a checkout with no collectstatic step. A deployment sets STATIC_ROOT and
# runs collectstatic instead (WhiteNoise warns about a STATIC_ROOT that does not exist).
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    # The API is anonymous and speaks JSON only, like the Flask and FastAPI examples.
    # Empty authentication also means no session auth, so no CSRF check on POST.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": ["users.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's own handler, plus a 503 for a write that waited out the busy timeout.
    "EXCEPTION_HANDLER": "users.views.exception_handler",
}
