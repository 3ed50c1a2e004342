"""Moving WorkbookUpload to the organisation app keeps its table, its rows and its content type."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("certificates", "0003_workbookupload")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_migrations_move_workbook_uploads_with_their_rows():
    old = migrate(BEFORE)
    user = old.get_model("auth", "User").objects.create(username="uploader")
    old.get_model("certificates", "WorkbookUpload").objects.create(
        kind="roster", uploaded_by_id=user.pk, file_name="r.xlsx", content=b"PK", size=2
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="certificates", model="workbookupload")

    executor = MigrationExecutor(connection)
    new = migrate(executor.loader.graph.leaf_nodes())

    uploads = new.get_model("organisation", "WorkbookUpload").objects
    assert list(uploads.values_list("file_name", "uploaded_by__username")) == [
        ("r.xlsx", "uploader")
    ]
    labels = new.get_model("contenttypes", "ContentType").objects
    assert list(labels.filter(model="workbookupload").values_list("app_label", flat=True)) == [
        "organisation"
    ]
