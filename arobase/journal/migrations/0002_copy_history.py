"""The two journals become one: accounts.Event (accounts, attachments, memberships,
dossiers) and evaluation.AuditEntry (the season) are copied here with their dates, and
each entry keeps its territory's name for when the territory goes. One way only: undoing
it recreates the former tables empty."""

from itertools import islice

from django.db import migrations

BATCH = 2000


def write_in_batches(model, entries):
    """bulk_create makes a list of all it is given: a slice at a time keeps memory bounded."""
    while batch := list(islice(entries, BATCH)):
        model.objects.bulk_create(batch)


def copy_history(apps, schema_editor):
    Entry = apps.get_model("journal", "Entry")
    Event = apps.get_model("accounts", "Event")
    AuditEntry = apps.get_model("evaluation", "AuditEntry")
    Entry._meta.get_field("at").auto_now_add = False  # keep each entry's own date (this historical model only)
    events = Event.objects.select_related("territory").order_by("at", "pk").iterator(chunk_size=BATCH)
    write_in_batches(Entry, (
        Entry(at=e.at, actor_id=e.actor_id, by_member=e.actor_id is not None, territory_id=e.territory_id, territory_name=e.territory.name if e.territory else "",
              verb=e.verb, detail=e.detail) for e in events
    ))
    audit = AuditEntry.objects.select_related("territory").order_by("at", "pk").iterator(chunk_size=BATCH)
    write_in_batches(Entry, (
        Entry(at=a.at, actor_id=a.actor_id, by_member=a.actor_id is not None, territory_id=a.territory_id, territory_name=a.territory.name if a.territory else "",
              edition_id=a.edition_id, subject=a.subject, verb=a.verb, before=a.before, after=a.after) for a in audit
    ))


class Migration(migrations.Migration):
    dependencies = [
        ("journal", "0001_initial"),
        ("accounts", "0002_demoaccount_event_invitation_attachment_role"),
        ("evaluation", "0002_phaserule_to_labels"),
    ]
    operations = [migrations.RunPython(copy_history, migrations.RunPython.noop)]
