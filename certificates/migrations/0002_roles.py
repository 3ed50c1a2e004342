"""Creates the five role groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_CATALOGUE = [
    "skills.view_department",
    "skills.view_skill",
    "training.view_workflowmodule",
    "certificates.view_tier",
    "certificates.view_tierskillrequirement",
]
VIEW_PEOPLE = [
    "skills.view_employee",
    "skills.view_signoff",
    "training.view_modulecompletion",
    "training.view_trainingsession",
    "training.view_attendance",
    "training.view_buddypairing",
    "certificates.view_certification",
]
TRAINER = [
    *VIEW_CATALOGUE,
    *VIEW_PEOPLE,
    "skills.add_signoff",
    "skills.change_signoff",
    "training.add_trainingsession",
    "training.change_trainingsession",
    "training.add_attendance",
    "training.change_attendance",
    "training.add_modulecompletion",
]
ROLE_PERMISSIONS = {
    "employee": VIEW_CATALOGUE,
    "trainer": TRAINER,
    "manager": [
        *TRAINER,
        "training.change_workflowmodule",
        "training.add_buddypairing",
        "training.change_buddypairing",
        "certificates.add_certification",
        "certificates.change_certification",
        "certificates.view_payperiod",
    ],
    "payroll": [
        *VIEW_CATALOGUE,
        "skills.view_employee",
        "skills.add_employee",
        "skills.change_employee",
        "certificates.view_certification",
        "certificates.view_payperiod",
        "certificates.add_payperiod",
        "certificates.change_payperiod",
        "certificates.view_payrollrow",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = set()
        for code in codes:
            app_label, codename = code.split(".")
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
    administrator, _ = Group.objects.get_or_create(name="administrator")
    administrator.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["auth", "skills", "training", "certificates"]
        )
    )


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(
        name__in=["employee", "trainer", "manager", "payroll", "administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("skills", "0001_initial"),
        ("training", "0001_initial"),
        ("certificates", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
