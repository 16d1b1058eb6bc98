"""The mentions catalogue and the prize of CONTRACT §3; staff extend them in the admin."""

from django.db import migrations

MENTIONS = [
    ("numerique-educatif", "Numérique éducatif", False),
    ("democratie-locale", "Démocratie locale", False),
    ("mediation-numerique", "Médiation numérique", False),
    ("transition-ecologique", "Transition écologique", True),
    ("gouvernement-ouvert", "Gouvernement ouvert", False),
    ("cooperation-decentralisee", "Coopération décentralisée", False),
    ("cooperation-internationale", "Coopération internationale", False),
    ("solidarite-numerique", "Solidarité numérique", False),
    ("accessibilite", "Accessibilité", False),
    ("teletravail", "Télétravail", False),
    ("reseau-social", "Réseau social", False),
    ("libre", "Logiciel libre", False),
]


def create_catalogue(apps, schema_editor):
    Mention = apps.get_model("labels", "Mention")
    Prize = apps.get_model("labels", "Prize")
    for slug, name, green in MENTIONS:
        Mention.objects.get_or_create(slug=slug, defaults={"name": name, "green_arobase": green})
    Prize.objects.get_or_create(
        slug="territoire-excellence-numerique",
        defaults={
            "name": "Territoire d'excellence numérique",
            "description": "Prix spécial décerné depuis 2021 aux collectivités labellisées 5 @ depuis au moins six ans, valable trois ans.",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("labels", "0001_initial")]
    operations = [migrations.RunPython(create_catalogue, migrations.RunPython.noop)]
