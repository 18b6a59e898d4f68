# Sources now belong to safety (safety 0002): techniques cite safety.Source. Only Django's
# idea of the models changes here; the tables and their rows stay as they are.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0002_alter_technique_cautions_alter_technique_excludes"),
        ("safety", "0002_source_healthconditions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="technique",
                    name="sources",
                    field=models.ManyToManyField(blank=True, related_name="techniques", to="safety.source"),
                ),
                migrations.DeleteModel(name="Source"),
            ],
        ),
    ]
