"""Operations that migrations of several apps use: moving a model's content types to its new app."""

from __future__ import annotations

from django.db import migrations


def move_content_types(old: str, new: str, *models: str) -> migrations.RunPython:
    """Moves the content types of `models` from app `old` to app `new` (and back on reversal).

    For a model moved between apps with its table: its permissions, the role groups that hold
    them and the admin's log entries keep pointing at it. A content type already made under the
    new app (on a database that never had the old one) is left as it is.
    """

    def move(apps, source: str, target: str) -> None:
        content_types = apps.get_model("contenttypes", "ContentType").objects
        for model in models:
            if not content_types.filter(app_label=target, model=model).exists():
                content_types.filter(app_label=source, model=model).update(app_label=target)

    return migrations.RunPython(
        lambda apps, schema_editor: move(apps, old, new),
        lambda apps, schema_editor: move(apps, new, old),
    )
