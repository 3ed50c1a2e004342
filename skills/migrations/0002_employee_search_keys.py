"""Stored search and sort keys for employees (core.text), filled for the existing rows."""

from django.db import migrations, models

from core.text import fold, sort_key


def fill_keys(apps, schema_editor):
    Employee = apps.get_model("skills", "Employee")
    changed = []
    for employee in Employee.objects.only(
        "first_name", "last_name", "employee_number"
    ).iterator(chunk_size=2000):
        employee.search_key = fold(
            f"{employee.first_name} {employee.last_name} {employee.employee_number}"
        )[:255]
        employee.sort_key = sort_key(employee.last_name, employee.first_name)[:255]
        changed.append(employee)
    Employee.objects.bulk_update(changed, ["search_key", "sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("skills", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="employee",
            name="search_key",
            field=models.CharField(
                db_default="", db_index=True, default="", editable=False, max_length=255
            ),
        ),
        migrations.AddField(
            model_name="employee",
            name="sort_key",
            field=models.CharField(
                db_default="", db_index=True, default="", editable=False, max_length=255
            ),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
