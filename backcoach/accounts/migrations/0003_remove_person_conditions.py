# A person's health conditions live in safety.HealthConditions now (copied there by
# safety 0002 before this field goes).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_person_conditions"),
        ("safety", "0002_source_healthconditions"),
    ]

    operations = [
        migrations.RemoveField(model_name="person", name="conditions"),
    ]
