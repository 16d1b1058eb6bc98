"""DataVersion moves to arobase.core (the bottom layer): the table is renamed, its rows kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("DataVersion", "core_dataversion")],
            state_operations=[migrations.DeleteModel("DataVersion")],
        ),
    ]
