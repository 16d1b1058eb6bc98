"""DataVersion, moved from arobase.public: the table exists already (renamed by
public.0002), only Django's state learns where the model lives now."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = [("public", "0002_dataversion_to_core")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.PositiveBigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"verbose_name": "version des données publiées"},
                ),
            ],
            database_operations=[],
        ),
    ]
