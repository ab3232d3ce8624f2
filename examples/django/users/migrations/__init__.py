"""Migrations of the users app."""
