# The sources' table takes safety's name, now that no library model points at it by name.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("safety", "0002_source_healthconditions"),
        ("library", "0003_technique_sources_from_safety"),
    ]

    operations = [
        migrations.AlterModelTable(name="source", table=None),
    ]
