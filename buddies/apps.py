from django.apps import AppConfig


class BuddiesConfig(AppConfig):
    name = "buddies"
    verbose_name = "Buddies"

    def ready(self):
        from buddies import signals  # noqa: F401  (connects the receivers)
