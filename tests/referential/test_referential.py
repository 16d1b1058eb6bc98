"""The initial referential, its page and API, and copying it forward with stable slugs."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from arobase.referential import loading
from arobase.referential.models import Axe, Enjeu, Service


def test_initial_data_file_shape():
    tree = json.loads(loading.INITIAL.read_text(encoding="utf-8"))
    axes = tree["axes"]
    enjeux = [e for a in axes for e in a["enjeux"]]
    services = [s for e in enjeux for u in e["usages"] for s in u["services"]]
    assert [a["name"] for a in axes] == ["Démocratie et services publics", "Vivre ensemble", "Partage des connaissances", "Création de richesses"]
    assert len(enjeux) == 16
    assert {"Démocratie locale", "Médiation", "Innovation", "Environnement", "Emploi"} <= {e["name"] for e in enjeux}
    assert 100 <= len(services) <= 140
    slugs = [n["slug"] for a in axes for n in [a, *a["enjeux"]]] + [u["slug"] for e in enjeux for u in e["usages"]] + [s["slug"] for s in services]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", slug) for slug in slugs)
    assert all(s["description"] and len(s["description"]) <= 160 for s in services)
    assert "conseil-municipal-en-direct" in {s["slug"] for s in services}


@pytest.mark.django_db
def test_copy_forward_keeps_slugs_and_leaves_the_original():
    loading.load(2027)
    loading.copy_forward(2027, 2028)
    before = set(Service.objects.filter(edition_id=2027).values_list("slug", "usage__enjeu__slug"))
    after = set(Service.objects.filter(edition_id=2028).values_list("slug", "usage__enjeu__slug"))
    assert before == after and len(after) >= 100
    Enjeu.objects.filter(edition_id=2028, slug="innovation").update(name="Innovation et expérimentation")
    assert Enjeu.objects.get(edition_id=2027, slug="innovation").name == "Innovation"
    with pytest.raises(ValueError, match="déjà un référentiel"):
        loading.copy_forward(2027, 2028)


@pytest.mark.django_db
def test_api_referential(client):
    assert client.get("/api/v1/referential").status_code == 404
    loading.load(2027)
    loading.copy_forward(2027, 2028)
    data = client.get("/api/v1/referential").json()
    assert data["edition"] == 2028 and len(data["axes"]) == 4
    enjeu = data["axes"][0]["enjeux"][0]
    assert set(enjeu) == {"slug", "name", "usages"}
    assert {"slug", "name"} <= set(enjeu["usages"][0]["services"][0])
    assert client.get("/api/v1/referential?edition=2027").json()["edition"] == 2027
    assert client.get("/api/v1/referential?edition=2031").status_code == 404
    assert client.get("/api/v1/referential?edition=１２").status_code == 422
    assert client.get("/api/v1/referential?edition=99999999999999999999").status_code == 422


@pytest.mark.django_db
def test_referential_page_lists_every_service(client, django_assert_max_num_queries):
    loading.load(2027)
    with django_assert_max_num_queries(8):
        page = client.get("/referentiel/").content.decode()
    assert "Conseil municipal retransmis en direct" in page
    assert page.count("<li><strong>") == Service.objects.filter(edition_id=2027).count()
    assert client.get("/referentiel/?edition=abc").status_code == 200


@pytest.mark.django_db
def test_load_referential_command(tmp_path):
    call_command("load_referential", "--edition", "2027", stdout=__import__("io").StringIO())
    assert Axe.objects.filter(edition_id=2027).count() == 4
    with pytest.raises(CommandError, match="déjà un référentiel"):
        call_command("load_referential", "--edition", "2027")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="illisible"):
        call_command("load_referential", "--edition", "2029", "--file", str(bad))
    assert not Axe.objects.filter(edition_id=2029).exists()
