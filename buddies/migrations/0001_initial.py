"""BuddyPairing and its history, moved here from the training app with their tables and rows.

The models keep the tables `training_buddypairing` and `training_historicalbuddypairing`
(db_table), so this migration changes the state only; the content types follow them, so the
role groups' permissions and the admin log entries keep pointing at them.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import move_content_types


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('training', '0002_buddypairing_to_buddies'),
        ('skills', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalBuddyPairing',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('started_on', models.DateField()),
                        ('ended_on', models.DateField(blank=True, null=True)),
                        ('reasons', models.JSONField(blank=True, default=dict, help_text="The suggestion's cost broken down into its reasons.")),
                        ('note', models.TextField(blank=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('approved_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('buddy', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='skills.employee')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('seeker', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='skills.employee')),
                    ],
                    options={
                        'db_table': 'training_historicalbuddypairing',
                        'verbose_name': 'historical buddy pairing',
                        'verbose_name_plural': 'historical buddy pairings',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='BuddyPairing',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('started_on', models.DateField()),
                        ('ended_on', models.DateField(blank=True, null=True)),
                        ('reasons', models.JSONField(blank=True, default=dict, help_text="The suggestion's cost broken down into its reasons.")),
                        ('note', models.TextField(blank=True)),
                        ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('buddy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairings_as_buddy', to='skills.employee')),
                        ('seeker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pairings_as_seeker', to='skills.employee')),
                    ],
                    options={
                        'db_table': 'training_buddypairing',
                        'ordering': ['-started_on', 'seeker__employee_number'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('seeker', models.F('buddy')), _negated=True), name='pairing_not_with_self'), models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gt', models.F('started_on')), _connector='OR'), name='pairing_ends_after_start'), models.UniqueConstraint(fields=('seeker', 'buddy', 'started_on'), name='pairing_natural_key'), models.UniqueConstraint(condition=models.Q(('ended_on__isnull', True)), fields=('seeker',), name='pairing_one_open_per_seeker')],
                    },
                ),
            ],
            database_operations=[],
        ),
        move_content_types('training', 'buddies', 'buddypairing', 'historicalbuddypairing'),
    ]
