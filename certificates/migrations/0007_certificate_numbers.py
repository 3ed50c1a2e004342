"""Certificate numbers: CT-<year>-<6 digits>, sequential within the year of the certified date.

Existing certifications are numbered in the order they were certified (then recorded), each
year's counter is left at its last number, and every history row of a certification gets that
certification's number. The next migration makes the number required.
"""

from collections import defaultdict

from django.db import migrations, models


def number_existing(apps, schema_editor):
    Certification = apps.get_model("certificates", "Certification")
    History = apps.get_model("certificates", "HistoricalCertification")
    Counter = apps.get_model("certificates", "CertificateCounter")
    last: dict[int, int] = defaultdict(int)
    numbers: dict[int, str] = {}
    changed = []
    for certification in Certification.objects.only("pk", "certified_on").order_by(
        "certified_on", "recorded_at", "pk"
    ):
        year = certification.certified_on.year
        last[year] += 1
        certification.certificate_number = f"CT-{year}-{last[year]:06d}"
        numbers[certification.pk] = certification.certificate_number
        changed.append(certification)
    Certification.objects.bulk_update(changed, ["certificate_number"], batch_size=500)
    history = []
    for row in History.objects.only("history_id", "id").order_by("history_id"):
        if row.id in numbers:
            row.certificate_number = numbers[row.id]
            history.append(row)
    History.objects.bulk_update(history, ["certificate_number"], batch_size=500)
    Counter.objects.bulk_create([Counter(year=y, last=n) for y, n in sorted(last.items())])


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0006_crockford_verification_codes'),
    ]

    operations = [
        migrations.CreateModel(
            name='CertificateCounter',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('last', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='certification',
            name='certificate_number',
            field=models.CharField(editable=False, help_text='CT-<year>-<6 digits>, sequential within the year of the certified date.', max_length=20, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='historicalcertification',
            name='certificate_number',
            field=models.CharField(db_index=True, editable=False, help_text='CT-<year>-<6 digits>, sequential within the year of the certified date.', max_length=20, null=True),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
    ]
