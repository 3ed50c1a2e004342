"""The certificates app's manage.py commands."""
