"""A small Atlaas: published actions in several territories, with services, statuses,
years and actors, plus a draft, a refused action and private contact details that must
never show."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from arobase.actions import rules
from arobase.actions.models import Action, Actor, Person
from arobase.labels.models import Edition, Label
from arobase.referential import loading
from arobase.territories.models import Territory

SECRET_EMAIL = "secret-contact@example.org"
SECRET_PHONE = "06 99 88 77 66"


def make_action(territory, services, title, state=rules.PUBLISHED, **fields):
    fields.setdefault("summary", "Une action de la collectivité.")
    fields.setdefault("status", rules.DONE)
    fields.setdefault("started", date(2023, 3, 1))
    if state == rules.PUBLISHED:
        fields.setdefault("published_at", timezone.now() - timedelta(days=len(title)))
    action = Action.objects.create(territory=territory, title=title, state=state, **fields)
    action.services.set(services)
    return action


def make_label(territory, year, arobases):
    Edition.objects.get_or_create(year=year)
    return Label.objects.create(territory=territory, edition_id=year, arobases=arobases)


@pytest.fixture
def atlas(world):
    services = {s.slug: s for s in loading.services_of(2027)}
    live = services["conseil-municipal-en-direct"]  # axe democratie-et-services-publics, enjeu democratie-locale
    budget = services["budget-participatif-en-ligne"]
    other = next(s for s in services.values() if s.usage.enjeu.slug != "democratie-locale")
    t = {code: Territory.objects.get(code=code, kind="commune") for code in ("59368", "34145", "59017", "59001")}
    mel = Territory.objects.get(code="200093201", kind="epci")
    a = SimpleNamespace(world=world, services=services, live=live, budget=budget, other=other, mel=mel, **{f"t{c}": v for c, v in t.items()})
    a.madeleine, a.lunel, a.armentieres, a.abancourt = t["59368"], t["34145"], t["59017"], t["59001"]
    make_label(a.madeleine, 2025, 5)
    make_label(a.lunel, 2024, 4)
    make_label(a.lunel, 2025, 3)  # the latest label counts: Lunel holds 3 @
    make_label(a.armentieres, 2025, 4)
    make_label(mel, 2025, 2)
    a.actor = Actor.objects.create(
        slug="les-cles-du-numerique", name="Les Clés du numérique", kind=rules.ASSOCIATION, territory=a.madeleine,
        description="Ateliers d'inclusion numérique pour les seniors.", email=SECRET_EMAIL, phone=SECRET_PHONE, consent=True,
        website="https://cles.example.org/",
    )
    a.shy_actor = Actor.objects.create(
        slug="prestataire-discret", name="Prestataire discret", kind=rules.PROVIDER, territory=a.lunel,
        email="discret@example.org", phone="01 02 03 04 05", consent=False,
    )
    a.council = make_action(a.madeleine, [live], "Conseil municipal retransmis en direct", summary="Les séances filmées et diffusées sur le site.")
    a.council.actors.set([a.actor])
    a.budget_action = make_action(a.lunel, [budget], "Budget participatif numérique", status=rules.ONGOING, started=date(2024, 5, 1))
    a.budget_action.actors.set([a.shy_actor])
    a.tablets = make_action(a.armentieres, [other], "Tablettes pour les écoles élémentaires", status=rules.PLANNED, started=date(2025, 9, 1))
    a.village = make_action(a.abancourt, [live], "Conseils municipaux sur les réseaux", started=date(2022, 1, 10))
    a.metropole = make_action(mel, [budget, live], "Plateforme métropolitaine de participation", started=date(2021, 6, 1))
    a.draft = make_action(a.madeleine, [live], "Brouillon confidentiel de la Madeleine", state=rules.DRAFT)
    a.refused = make_action(a.lunel, [budget], "Action refusée confidentielle", state=rules.REFUSED)
    Person.objects.create(action=a.council, name="Marie Durand", role="chargée de mission", email=SECRET_EMAIL, phone=SECRET_PHONE, consent=True)
    a.published = [a.council, a.budget_action, a.tablets, a.village, a.metropole]
    return a
