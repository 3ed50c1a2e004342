"""Verification codes become 16 characters of Crockford's base32 (no I, L, O, U).

The earlier codes came from token_urlsafe (with '-', '_', 0/O and l/1 that read alike). No
certificate had been handed out with one, so every certification gets a new code.
"""

import secrets

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_codes(apps, schema_editor):
    Certification = apps.get_model("certificates", "Certification")
    taken = set()
    changed = []
    for certification in Certification.objects.only("pk").order_by("pk"):
        code = "".join(secrets.choice(ALPHABET) for _ in range(16))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(16))
        taken.add(code)
        certification.verification_code = code
        changed.append(certification)
    Certification.objects.bulk_update(changed, ["verification_code"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0005_tier_pay_code'),
    ]

    operations = [
        migrations.RunPython(new_codes, migrations.RunPython.noop),
    ]
