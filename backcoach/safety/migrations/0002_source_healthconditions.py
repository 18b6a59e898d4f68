# Safety takes over two nouns from other apps, keeping every row:
# - Source (the bibliography) moves from the library: here only Django's idea of the model
#   moves; the table keeps its name until 0003 renames it.
# - A person's health conditions move from accounts.Person.conditions into HealthConditions.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_conditions(apps, schema_editor):
    Person = apps.get_model("accounts", "Person")
    HealthConditions = apps.get_model("safety", "HealthConditions")
    rows = [
        HealthConditions(person_id=pk, keys=sorted(keys))
        for pk, keys in Person.objects.exclude(conditions=[]).values_list("pk", "conditions")
        if keys
    ]
    HealthConditions.objects.bulk_create(rows, batch_size=500)


def copy_conditions_back(apps, schema_editor):
    Person = apps.get_model("accounts", "Person")
    HealthConditions = apps.get_model("safety", "HealthConditions")
    for row in HealthConditions.objects.all():
        Person.objects.filter(pk=row.person_id).update(conditions=row.keys)


class Migration(migrations.Migration):

    dependencies = [
        ("safety", "0001_initial"),
        ("library", "0002_alter_technique_cautions_alter_technique_excludes"),
        ("accounts", "0002_person_conditions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Source",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.SlugField(max_length=80, unique=True, verbose_name="key")),
                        ("citation", models.TextField(verbose_name="citation")),
                        ("url", models.URLField(max_length=500, verbose_name="address")),
                        ("identifier", models.CharField(blank=True, help_text="DOI, PubMed id or guideline number.", max_length=120, verbose_name="identifier")),
                    ],
                    options={"ordering": ["key"], "db_table": "library_source"},
                ),
            ],
        ),
        migrations.CreateModel(
            name="HealthConditions",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("keys", models.JSONField(blank=True, default=list, help_text="Keys from backcoach/safety/contraindications.py.", verbose_name="conditions")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                ("person", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="health_conditions", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "health conditions", "verbose_name_plural": "health conditions"},
        ),
        migrations.RunPython(copy_conditions, copy_conditions_back),
    ]
