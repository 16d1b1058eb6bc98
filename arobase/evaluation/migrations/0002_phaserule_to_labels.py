"""PhaseRule moves to arobase.labels, beside the season's phases: the table is renamed,
its rows kept (labels.0006 gives the model its new home in Django's state)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("PhaseRule", "labels_phaserule")],
            state_operations=[migrations.DeleteModel("PhaseRule")],
        ),
    ]
