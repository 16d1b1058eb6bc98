"""The security suite's world: built once (not once per test), inside a transaction
that is rolled back when the suite ends.

Each test still runs in its own savepoint (pytest-django's `db`), so what a test
changes is undone before the next one, while the users, sessions and objects below
are shared by the hundreds of (URL, role) cases of the permission matrix.
"""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.conftest import make_user

MADELEINE, LUNEL = "59368", "34145"
CANDIDATURES_YEAR, PUBLISHED_YEAR = 2027, 2026

# Every role of CONTRACT §8 and DOMAIN.md, plus the anonymous visitor and a superuser.
ROLES = ["anonymous", "stranger", "correspondent", "other", "actor", "evaluator", "jury", "conseil", "staff", "superuser"]
LOGGED_IN = frozenset(ROLES) - {"anonymous"}


def png_bytes(size=(4, 4), colour=(200, 30, 30)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def build_world():
    """Two editions (2027 taking candidatures, 2026 published), one user per role, and
    for La Madeleine: a membership, dossiers in both editions, a draft action with an
    image, a local actor's proposal, a label, a jury decision, an assigned review, an
    appeal; plus a pending attachment, an invitation, an outbox message, audit entries."""
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from arobase.accounts import roles, tokens
    from arobase.accounts.models import Invitation, Role
    from arobase.actions import rules as action_rules
    from arobase.actions.models import Action, Actor, Image
    from arobase.dossiers import membership
    from arobase.dossiers.models import Dossier, Question
    from arobase.evaluation.models import Appeal, Criterion, Decision, OutboxMessage, Review
    from arobase.journal.records import record
    from arobase.labels import phase_rules
    from arobase.labels.models import Edition, Label, Mention, Prize
    from arobase.referential import loading
    from arobase.territories.models import Territory

    today, now = timezone.localdate(), timezone.now()
    w = SimpleNamespace()
    w.edition = Edition.objects.create(
        year=CANDIDATURES_YEAR, phase="candidatures", opening_date=today - timedelta(days=100), closing_date=today + timedelta(days=30),
    )
    w.published = Edition.objects.create(
        year=PUBLISHED_YEAR, phase="publie", opening_date=today - timedelta(days=400), closing_date=today - timedelta(days=300),
        published_at=now - timedelta(days=1), ceremony_date=today - timedelta(days=1), ceremony_place="Paris",
    )
    loading.load(CANDIDATURES_YEAR)
    phase_rules.rules_of(w.edition)
    phase_rules.rules_of(w.published)
    w.madeleine = Territory.objects.get(code=MADELEINE, kind="commune")
    w.lunel = Territory.objects.get(code=LUNEL, kind="commune")
    w.services = list(loading.services_of(CANDIDATURES_YEAR)[:3])

    w.users = {
        "stranger": make_user("inconnu@example.fr"),
        "correspondent": make_user("corr@example.fr", first_name="Camille"),
        "other": make_user("autre@example.fr"),
        "actor": make_user("acteur@example.fr"),
        "evaluator": make_user("eval@example.fr"),
        "jury": make_user("jury@example.fr"),
        "conseil": make_user("conseil@example.fr"),
        "staff": make_user("equipe@example.fr"),
        "superuser": User.objects.create_superuser("admin@example.fr", "admin@example.fr", "mot-de-passe-tres-long"),
    }
    u = w.users
    roles.attach_directly(u["correspondent"], w.madeleine, None)
    roles.attach_directly(u["other"], w.lunel, None)
    roles.grant(u["staff"], Role.STAFF)
    roles.grant(u["evaluator"], Role.EVALUATOR)
    roles.grant(u["jury"], Role.JURY)
    roles.grant(u["conseil"], Role.CONSEIL)
    roles.grant(u["actor"], Role.LOCAL_ACTOR, territory=w.madeleine)

    # 2027: membership, draft dossier, question, a draft action (with an image), a proposal.
    w.membership = membership.join(w.edition, w.madeleine, u["correspondent"])
    w.dossier = Dossier.objects.create(edition=w.edition, territory=w.madeleine)
    w.question = Question.objects.create(edition=w.edition, text="Quelle est votre stratégie numérique ?", required=False)
    w.draft = Action.objects.create(territory=w.madeleine, title="Brouillon secret", summary="Pas encore public", author=u["correspondent"])
    w.draft.services.set(w.services[:1])
    w.image = Image(action=w.draft, alt="Une image", width=4, height=4)
    w.image.file.save("image.jpg", ContentFile(png_bytes()), save=False)
    w.image.thumbnail.save("vignette.jpg", ContentFile(png_bytes()), save=False)
    w.image.save()
    # The one that deletion requests delete (files are not rolled back with the database).
    w.spare_image = Image(action=w.draft, alt="Une autre image", width=4, height=4)
    w.spare_image.file.save("image.jpg", ContentFile(png_bytes()), save=False)
    w.spare_image.thumbnail.save("vignette.jpg", ContentFile(png_bytes()), save=False)
    w.spare_image.save()
    w.proposal = Action.objects.create(
        territory=w.madeleine, title="Proposition d'un acteur", summary="À relire", author=u["actor"], state=action_rules.PROPOSED,
    )
    w.proposal.services.set(w.services[:1])
    w.lunel_draft = Action.objects.create(territory=w.lunel, title="Brouillon de Lunel", summary="Secret de Lunel", author=u["other"])
    w.lunel_draft.services.set(w.services[:1])
    # The local actor's own listing: they may withdraw their consent to show its contacts.
    w.actor_row = Actor.objects.create(slug="fablab-madeleine", name="Fablab de La Madeleine", territory=w.madeleine,
                                       email=u["actor"].email, phone="03 20 00 00 00", consent=True)

    # Someone asks to become a correspondent; La Madeleine invites the stranger.
    w.requester = make_user("demande@example.fr")
    # Signed up, address not verified yet: the verification link activates it.
    w.unverified = make_user("a-verifier@example.fr", is_active=False)
    w.attachment = roles.request_attachment(w.requester, w.madeleine, "chargée de mission")
    w.invitation = Invitation.objects.create(territory=w.madeleine, email=u["stranger"].email, invited_by=u["correspondent"])
    w.invitation_token = tokens.invitation_token(w.invitation)

    # 2026, published: La Madeleine's dossier, review, decision, label, appeal.
    w.criterion = Criterion.objects.create(edition=w.published, name="Stratégie", weight=1, scale_max=4, position=0)
    w.published_dossier = Dossier.objects.create(
        edition=w.published, territory=w.madeleine, state="depose", submitted_at=now - timedelta(days=300), submitted_by=u["correspondent"],
        snapshot=[{"id": 1, "title": "Conseil municipal en ligne", "summary": "Diffusion des séances.", "status": "realisee",
                   "services": [{"slug": "x", "name": "Diffusion", "enjeu": "democratie-locale"}]}],
    )
    w.review = Review.objects.create(dossier=w.published_dossier, evaluator=u["evaluator"], assigned_by=u["staff"])
    w.label = Label.objects.create(territory=w.madeleine, edition=w.published, arobases=4)
    Decision.objects.create(dossier=w.published_dossier, arobases=4, label=w.label, decided_by=u["jury"], suggested=4)
    w.appeal = Appeal.objects.create(dossier=w.published_dossier, filed_by=u["correspondent"], reason="Relisez-nous.", arobases_before=4)
    OutboxMessage.objects.create(edition=w.published, key="palmares-59368", template="palmares_notification", to=u["correspondent"].email, territory=w.madeleine)
    record(u["jury"], "décision enregistrée", edition=w.published, territory=w.madeleine, subject="decision", after={"arobases": 4})
    w.mention, _ = Mention.objects.get_or_create(slug="democratie-locale", defaults={"name": "Démocratie locale"})
    w.prize, _ = Prize.objects.get_or_create(slug="territoire-excellence-numerique", defaults={"name": "Territoire d'excellence numérique"})
    return w


def log_in_everyone(w):
    """One session per role, made once: tests just set the cookie."""
    w.sessions = {}
    for role, user in w.users.items():
        client = Client()
        client.force_login(user)
        w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return w


@pytest.fixture(scope="package")
def sec(django_db_setup, django_db_blocker, tmp_path_factory):
    """The shared world, rolled back when the security suite ends. A module that
    changes it for all its tests works in a savepoint of its own (see test_xss.py)."""
    from django.db import connection

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))  # uploaded files: not in var/
    with django_db_blocker.unblock(), media:
        if connection.settings_dict["NAME"] != connection.settings_dict["TEST"]["NAME"]:
            # pytest-django creates the test database only if a selected test asks for
            # `db`: never build this world in the development database.
            pytest.fail("the security world needs the test database: select a test that uses `isolated`")
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield log_in_everyone(build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def isolated(sec, db):
    """pytest-django's `db` (a savepoint per test, inside the module's transaction),
    without its foreign key check of the whole database at each teardown: marking the
    test's savepoint for rollback skips it. That check costs more than a request here,
    and the matrix makes 2 000 of them."""
    yield
    transaction.set_rollback(True)


def client_as(sec, role, **options):
    """A test client acting as `role` (a fresh anonymous client for "anonymous")."""
    client = Client(**options)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = sec.sessions[role]
    return client
