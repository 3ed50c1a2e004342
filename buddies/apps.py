from django.apps import AppConfig


class BuddiesConfig(AppConfig):
    name = "buddies"
    verbose_name = "Buddies"
