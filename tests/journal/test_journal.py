"""One journal of domain events: written from every app, read by staff, and kept when
the territory or the account it names goes."""

import os
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from arobase.journal.models import Entry
from arobase.journal.records import record
from arobase.territories.models import Territory
from tests.conftest import make_user


def test_the_season_and_the_accounts_write_to_the_same_journal(world, login):
    """A staff decision on an attachment and a phase change land in one journal."""
    newcomer = make_user("nouvelle@example.fr")
    login(newcomer).post("/espace/rattachement/", {"territory": "34145", "function": "agent"})
    attachment = newcomer.attachments.get()
    login(world.staff).post(f"/espace/rattachement/{attachment.pk}/decision/", {"decision": "approve"})
    world.edition.closing_date = timezone.localdate() - timedelta(days=1)
    world.edition.save()
    login(world.staff).get(f"/gestion/{world.edition.year}/")  # the calendar closes the candidatures
    assert Entry.objects.filter(verb="rattachement approuvé", actor=world.staff, territory=world.lunel, territory_name="Lunel").exists()
    phase = Entry.objects.get(subject="phase", edition=world.edition)
    assert (phase.actor, phase.by_member, phase.before, phase.after) == (None, False, {"phase": "candidatures"}, {"phase": "instruction"})
    page = login(world.staff).get(f"/gestion/{world.edition.year}/journal/").content.decode()
    assert "passage en phase « instruction » (automatiquement à la date de clôture)" in page


def test_an_entry_outlives_its_territory_and_its_author(world, login):
    gone = Territory.objects.create(kind="commune", code="99901", name="Ancienne-Commune", population=120)
    author = make_user("parti@example.fr")
    record(author, "décision enregistrée", edition=world.edition, territory=gone, subject="décision", after={"arobases": 3})
    record(None, "clôture automatique", edition=world.edition, subject="phase")
    gone.delete()
    author.delete()
    entry = Entry.objects.get(verb="décision enregistrée")
    assert (entry.territory, entry.territory_name, entry.actor, entry.after) == (None, "Ancienne-Commune", None, {"arobases": 3})
    page = login(world.staff).get(f"/gestion/{world.edition.year}/journal/").content.decode()
    assert "Ancienne-Commune" in page and "ancien membre" in page and "automatique" in page


def test_only_staff_read_the_journal(world, login):
    record(world.staff, "note interne", edition=world.edition, subject="phase")
    for user in (world.correspondent, world.evaluator, world.jury, world.conseil, world.actor, world.stranger):
        assert login(user).get(f"/gestion/{world.edition.year}/journal/").status_code == 403


def insert(db, table, **values):
    """A row with these values, and a plain value in every other required column."""
    for _, name, kind, not_null, default, primary_key in db.execute(f"PRAGMA table_info({table})"):
        if not_null and default is None and not primary_key and name not in values:
            kind = kind.lower()
            values[name] = "2020-01-01" if "date" in kind else "" if "char" in kind or "text" in kind else 0
    db.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})", list(values.values()))


@pytest.mark.sqlite_pass_only
def test_the_migration_copies_both_former_journals(tmp_path):
    """accounts.Event and evaluation.AuditEntry become journal entries with their dates,
    actors and territories' names (the same migration was run on PostgreSQL by hand)."""
    database = tmp_path / "former.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "AROBASE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "arobase.settings"}

    def arobase(*args):
        subprocess.run([sys.executable, "-m", "arobase", *args], env={**os.environ, **env}, check=True, capture_output=True)

    arobase("migrate", "accounts", "0002_demoaccount_event_invitation_attachment_role")
    arobase("migrate", "evaluation", "0002_phaserule_to_labels")
    with sqlite3.connect(database) as db:
        insert(db, "territories_territory", id=1, kind="commune", code="59368", name="La Madeleine")
        insert(db, "auth_user", id=7, username="a@example.fr", email="a@example.fr", is_active=1)
        insert(db, "labels_edition", year=2024, phase="publie")
        db.execute("INSERT INTO accounts_event (at, actor_id, territory_id, verb, detail) VALUES ('2021-03-04 05:06:07', 7, 1, 'rattachement approuvé', 'x')")
        db.execute("INSERT INTO evaluation_auditentry (edition_id, at, actor_id, territory_id, subject, verb, before, after) "
                   "VALUES (2024, '2024-02-08 10:00:00', NULL, 1, 'décision', 'décision enregistrée', NULL, '{\"arobases\": 5}')")
    arobase("migrate")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT at, actor_id, by_member, territory_id, territory_name, edition_id, subject, verb, detail, after "
                          "FROM journal_entry ORDER BY at").fetchall()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert rows == [
        ("2021-03-04 05:06:07", 7, 1, 1, "La Madeleine", None, "", "rattachement approuvé", "x", None),
        ("2024-02-08 10:00:00", None, 0, 1, "La Madeleine", 2024, "décision", "décision enregistrée", "", '{"arobases": 5}'),
    ]
    assert "accounts_event" not in tables and "evaluation_auditentry" not in tables


def test_staff_keep_the_moved_and_new_models_in_the_admin_after_a_migration(db):
    """A model that moves app (PhaseRule) or is new (the journal) has new permissions:
    every migration hands them to the staff's group, which had the former ones."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from arobase.accounts import roles

    team = Group.objects.create(name=roles.TEAM_GROUP)
    call_command("migrate", verbosity=0)
    granted = set(team.permissions.values_list("content_type__app_label", "codename"))
    assert {("journal", "view_entry"), ("labels", "change_phaserule")} <= granted
