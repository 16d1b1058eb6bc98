"""The candidate's side of the demo: accounts, action sheets, and the open edition.

Deterministic (a fixed random seed), flagged as demo, idempotent: a second run
replaces what the first one made and touches nothing else.
"""

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from arobase.accounts import roles
from arobase.accounts.models import Attachment, DemoAccount, Role
from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Person
from arobase.labels import season
from arobase.labels.models import Edition, Label
from arobase.referential import loading as referential
from arobase.territories.models import Territory

from .models import Dossier, Question

PASSWORD = "arobase-demo"
MADELEINE, LUNEL = "59368", "34145"
ACCOUNTS = [
    # e-mail, first name, last name, role, territory codes
    ("correspondant@demo.arobase.fr", "Camille", "Martin", None, [MADELEINE, LUNEL]),
    ("acteur@demo.arobase.fr", "Sami", "Benali", Role.LOCAL_ACTOR, [MADELEINE]),
    ("evaluateur@demo.arobase.fr", "Claire", "Dupont", Role.EVALUATOR, []),
    ("jury@demo.arobase.fr", "Hélène", "Moreau", Role.JURY, []),
    ("equipe@demo.arobase.fr", "Julien", "Petit", Role.STAFF, []),
    ("conseil@demo.arobase.fr", "Nadia", "Lefèvre", Role.CONSEIL, []),
]
QUESTIONS = [
    ("", "Quelle est la stratégie numérique de la collectivité, en quelques lignes ?", True),
    ("", "Qui porte la politique numérique (élu·e, service, budget) ?", True),
    ("village", "Comment le village mutualise-t-il ses outils avec l'intercommunalité ?", False),
    ("ville", "Comment les habitants sont-ils associés aux projets numériques ?", False),
    ("territoire", "Quels services numériques l'intercommunalité rend-elle à ses communes ?", False),
]
ACTIONS_PER_LEVEL = {None: 2, 1: 2, 2: 3, 3: 4, 4: 5, 5: 6}
DEMO_TERRITORIES = 70
RANDOM_SEED = 2027


class SeasonNotReady(ValueError):
    pass


@transaction.atomic
def load(phase=season.CANDIDATURES, today=None):
    """Set up the edition after the latest published one in `phase`, with demo accounts,
    action sheets and La Madeleine's draft dossier. Returns a summary dict."""
    from arobase.evaluation import demo as evaluation_demo

    if phase not in season.PHASES:
        raise SeasonNotReady(f"Phase inconnue : « {phase} ». Choisissez parmi : {', '.join(season.PHASES)}.")
    today = today or timezone.localdate()
    latest = Edition.objects.filter(phase=season.PUBLIE, labels__isnull=False).order_by("-year").values_list("year", flat=True).first()
    year = (latest or today.year) + 1
    edition, _ = Edition.objects.get_or_create(year=year)
    evaluation_demo.reset(edition)
    edition.phase = phase
    if phase == season.CANDIDATURES:
        edition.opening_date, edition.closing_date = today - timedelta(days=200), today + timedelta(days=30)
    else:
        edition.opening_date, edition.closing_date = today + timedelta(days=30), today + timedelta(days=240)
    edition.save()
    if not referential.Axe.objects.filter(edition=edition).exists():
        referential.load(year)
    if not Question.objects.filter(edition=edition).exists():
        Question.objects.bulk_create(
            Question(edition=edition, category=c, text=t, required=r, position=i) for i, (c, t, r) in enumerate(QUESTIONS)
        )
    users = _accounts()
    action_count = _actions(year, users["correspondant@demo.arobase.fr"])
    _season_dossiers(edition, users["correspondant@demo.arobase.fr"])
    summary = {"year": year, "phase": phase, "accounts": [a[0] for a in ACCOUNTS], "actions": action_count, "dossiers": 0}
    if season.PHASES.index(phase) > season.PHASES.index(season.CANDIDATURES):
        summary["dossiers"] = evaluation_demo.load(edition, phase, _demo_territories(), users["correspondant@demo.arobase.fr"], today)
        summary["accounts"] += [email for email, *_ in evaluation_demo.EXTRA_EVALUATORS]
    return summary


def _accounts():
    users = {}
    territories = {t.code: t for t in Territory.objects.filter(code__in=[MADELEINE, LUNEL], kind="commune")}
    for email, first, last, role, codes in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=email, defaults={"email": email, "first_name": first, "last_name": last, "is_active": True},
        )
        user.set_password(PASSWORD)
        if role == Role.STAFF:
            user.is_staff = user.is_superuser = True
        user.save()
        DemoAccount.objects.get_or_create(user=user)
        if role == Role.LOCAL_ACTOR:
            roles.grant(user, role, territory=territories[MADELEINE], organisation="Association Les Clés du numérique")
        elif role:
            roles.grant(user, role)
        if role is None:
            for code in codes:
                roles.attach_directly(user, territories[code], None, verb="rattachement de démonstration")
        users[email] = user
    return users


def _demo_territories():
    """The seed towns first, then the labelled territories of the latest year, best first."""
    latest = Label.objects.order_by("-edition_id").values_list("edition_id", flat=True).first()
    labels = (
        Label.objects.filter(edition_id=latest).select_related("territory")
        .order_by("-arobases", "territory__code")[:DEMO_TERRITORIES]
    ) if latest else []
    chosen = {label.territory: label.arobases for label in labels}
    for territory in Territory.objects.filter(code__in=[MADELEINE, LUNEL], kind="commune"):
        chosen.setdefault(territory, 5)
    seeds = (MADELEINE, LUNEL)
    return sorted(chosen.items(), key=lambda item: (item[0].code not in seeds, item[0].code))


def _actions(year, author):
    """A few hundred published action sheets, more for territories with more @."""
    Action.objects.filter(is_demo=True).delete()
    services = list(referential.services_of(referential.resolve_year(year)))
    rng = random.Random(RANDOM_SEED)
    today = timezone.localdate()
    made = []
    links = []
    for territory, arobases in _demo_territories():
        for picked in rng.sample(services, ACTIONS_PER_LEVEL.get(arobases, 3)):
            started = today - timedelta(days=rng.randint(30, 3650))
            status = rng.choice([action_rules.DONE, action_rules.DONE, action_rules.ONGOING, action_rules.PLANNED])
            ended = min(today, started + timedelta(days=rng.randint(60, 900))) if status == action_rules.DONE else None
            if status == action_rules.PLANNED:
                started = today + timedelta(days=rng.randint(10, 200))
            action = Action(
                territory=territory, title=picked.name, subtitle=f"{territory.name} — {picked.usage.enjeu.name.lower()}",
                summary=f"{picked.description} Mis en place par {territory.name}.",
                done=f"- Étude des besoins avec les habitants\n- Mise en service\n- Bilan après {rng.randint(3, 18)} mois",
                results=f"{rng.randint(50, 5000)} utilisations par mois.",
                status=status, started=started, ended=ended, state=action_rules.PUBLISHED,
                published_at=timezone.now() - timedelta(days=rng.randint(0, 365)), author=author, is_demo=True,
            )
            made.append(action)
            links.append(picked)
    Action.objects.bulk_create(made)
    through = Action.services.through
    through.objects.bulk_create(through(action_id=a.pk, service_id=s.pk) for a, s in zip(made, links))
    Person.objects.bulk_create(
        Person(action=a, name=rng.choice(["Marie Durand", "Karim Haddad", "Sophie Laurent", "Paul Garnier"]), role="chef de projet", consent=False)
        for a in made[::3]
    )
    return len(made)


def _season_dossiers(edition, correspondent):
    """La Madeleine's draft dossier for the open edition (and no other demo dossier)."""
    madeleine = Territory.objects.get(code=MADELEINE, kind="commune")
    Dossier.objects.filter(edition=edition).filter(Q(is_demo=True) | Q(territory=madeleine)).delete()
    dossier = Dossier.objects.create(edition=edition, territory=madeleine, is_demo=True)
    dossier.actions.set(Action.objects.filter(territory=madeleine, is_demo=True).exclude(status=action_rules.DONE, ended__lt=timezone.localdate() - timedelta(days=700))[:3])
    if not Attachment.objects.filter(user=correspondent, territory=madeleine, status=Attachment.APPROVED).exists():
        raise SeasonNotReady("Le compte correspondant de démonstration n'est pas rattaché à La Madeleine.")
