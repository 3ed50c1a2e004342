"""WorkbookUpload, moved here from the certificates app with its table and rows.

The model keeps the table `certificates_workbookupload` (db_table), so this migration changes
the state only; its content type follows it, so permissions and admin log entries keep
pointing at it.
"""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('certificates', '0004_workbookupload_to_organisation'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkbookUpload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('kind', models.CharField(choices=[('workbook', 'Organisation workbook'), ('roster', 'Payroll roster')], max_length=8)),
                        ('file_name', models.CharField(max_length=255)),
                        ('content', models.BinaryField(blank=True)),
                        ('size', models.PositiveIntegerField()),
                        ('sha256', models.CharField(max_length=64)),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True)),
                        ('preview', models.JSONField(blank=True, default=dict)),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('result', models.JSONField(blank=True, default=dict)),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'certificates_workbookupload',
                        'ordering': ['-uploaded_at'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['workbook', 'roster'])), name='workbook_upload_kind_valid')],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types('certificates', 'organisation', 'workbookupload'),
    ]
