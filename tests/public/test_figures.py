"""Figures derived from published data (core/figures.py): computed by the writer on
commit of the change, read in one row by every cold render, never stale."""

import pytest

from arobase.actions.models import Action
from arobase.core import data_version
from arobase.core.models import Figure
from arobase.labels.models import Label
from arobase.labels.queries import HISTORY_FIGURE

pytestmark = pytest.mark.django_db


def stored():
    return Figure.objects.filter(name=HISTORY_FIGURE).values_list("token", "computed_at").first()


def test_a_label_change_computes_the_statistics_on_commit_and_shows_at_once(client, demo, django_capture_on_commit_callbacks):
    label = Label.objects.filter(edition=2024, arobases__lt=5).order_by("pk").first()
    client.get("/statistiques/")
    with django_capture_on_commit_callbacks(execute=True):
        label.arobases += 1
        label.save()
    token, _ = stored()
    assert token == data_version.current((data_version.PALMARES, data_version.TERRITORIES))[0]
    page = client.get("/statistiques/")
    assert page["X-Arobase-Cache"] == "miss"
    row = next(r for r in page.context["rows"] if r[0].edition.year == 2024)
    assert row[0].distribution[str(label.arobases)] == Label.objects.filter(edition=2024, arobases=label.arobases).count()


def test_a_stale_figure_is_never_served(client, demo):
    """Without the commit hook (a bulk write that forgot it), the render computes it anew."""
    client.get("/statistiques/")
    Label.objects.filter(edition=2024, hors_concours=False).update(arobases=5)
    data_version.bump(data_version.PALMARES)  # inside the test's transaction: no commit, no refresh
    row = next(r for r in client.get("/statistiques/").context["rows"] if r[0].edition.year == 2024)
    assert row[0].distribution["5"] == Label.objects.filter(edition=2024, hors_concours=False).count()


def test_an_atlaas_change_leaves_the_statistics_figure_alone(client, demo, django_capture_on_commit_callbacks):
    client.get("/statistiques/")
    before = stored()
    with django_capture_on_commit_callbacks(execute=True):
        action = Action.objects.published().order_by("pk").first()
        action.title = "Titre changé"
        action.save()
    assert stored() == before
