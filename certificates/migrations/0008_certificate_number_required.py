"""Every certification now has a certificate number (numbered by the previous migration)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0007_certificate_numbers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certification",
            name="certificate_number",
            field=models.CharField(
                editable=False,
                help_text="CT-<year>-<6 digits>, sequential within the year of the certified date.",
                max_length=20,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalcertification",
            name="certificate_number",
            field=models.CharField(
                db_index=True,
                editable=False,
                help_text="CT-<year>-<6 digits>, sequential within the year of the certified date.",
                max_length=20,
            ),
        ),
    ]
