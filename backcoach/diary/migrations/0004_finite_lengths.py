"""A fingertip-to-floor distance that is not a finite number (a NaN an import let through
before the row rules, kept by PostgreSQL; an infinity, which SQLite keeps) becomes no
answer. The check is Python's (math.isfinite) on the value as read, because NaN compares
unequal to everything in Python and PostgreSQL orders it above every number, so a SQL
comparison would mean different things on the two databases. Then the field becomes a
FiniteFloatField, which refuses such a value and reads one as empty."""

import math

import django.core.validators
from django.db import migrations

import backcoach.diary.models


def non_finite_lengths_to_null(apps, schema_editor):
    Checkin = apps.get_model("diary", "Checkin")
    rows = Checkin.objects.using(schema_editor.connection.alias).filter(
        fingertip_floor_cm__isnull=False
    )
    broken = [
        pk
        for pk, value in rows.values_list("pk", "fingertip_floor_cm").iterator(chunk_size=2000)
        if not math.isfinite(value)
    ]
    for start in range(0, len(broken), 500):
        Checkin.objects.using(schema_editor.connection.alias).filter(
            pk__in=broken[start : start + 500]
        ).update(fingertip_floor_cm=None)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0003_checkin_clock_corrected_seconds"),
    ]

    operations = [
        # Before the field changes: the historical FloatField still reads the NaN as NaN.
        migrations.RunPython(non_finite_lengths_to_null, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="checkin",
            name="fingertip_floor_cm",
            field=backcoach.diary.models.FiniteFloatField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(100.0),
                ],
                verbose_name="fingertip-to-floor (cm)",
            ),
        ),
    ]
