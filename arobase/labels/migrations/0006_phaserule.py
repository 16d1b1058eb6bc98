"""PhaseRule, moved from arobase.evaluation: the table exists already (renamed by
evaluation.0002), only Django's state learns where the model lives now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("labels", "0005_season"), ("evaluation", "0002_phaserule_to_labels")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PhaseRule",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("phase", models.CharField(choices=[("preparation", "préparation"), ("candidatures", "candidatures"), ("instruction", "instruction"), ("evaluation", "évaluation"), ("deliberation", "délibération"), ("publie", "publié")], max_length=12, verbose_name="phase")),
                        ("starts_on", models.DateField(blank=True, null=True, verbose_name="début prévu")),
                        ("ends_on", models.DateField(blank=True, null=True, verbose_name="fin prévue")),
                        ("can_submit", models.BooleanField(default=False, verbose_name="les candidats déposent")),
                        ("can_review", models.BooleanField(default=False, verbose_name="les évaluateurs notent")),
                        ("can_see_reviews", models.BooleanField(default=False, help_text="Seulement après avoir soumis leur propre avis, et jamais en cas de conflit d'intérêts.", verbose_name="les évaluateurs voient les autres avis")),
                        ("can_decide", models.BooleanField(default=False, verbose_name="le jury décide")),
                        ("can_publish", models.BooleanField(default=False, verbose_name="l'équipe publie")),
                        ("can_appeal", models.BooleanField(default=False, verbose_name="les candidats font un recours")),
                        ("edition", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="phase_rules", to="labels.edition", verbose_name="édition")),
                    ],
                    options={
                        "verbose_name": "règle de phase",
                        "verbose_name_plural": "règles de phase",
                        "constraints": [models.UniqueConstraint(fields=("edition", "phase"), name="phase_rule_once_per_edition")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
