"""`arobase warm`, and the publication, the palmarès import and the demo that call it:
the main public pages are in the cache before the first visitor asks."""

import io

import pytest
from django.core.management import CommandError, call_command

from arobase.labels.models import Edition

pytestmark = pytest.mark.django_db

CACHE = "X-Arobase-Cache"


def test_warm_renders_the_main_pages_under_the_keys_visitors_use(client, demo, settings):
    settings.ALLOWED_HOSTS = ["label.example.org"]
    out = io.StringIO()
    call_command("warm", "--url", "https://label.example.org", stdout=out)
    assert "mises en cache pour https://label.example.org" in out.getvalue()
    latest = Edition.objects.filter(phase="publie").order_by("-year").first().year
    for url in ["/", f"/palmares/{latest}/", "/statistiques/", "/atlaas/", f"/api/v1/editions/{latest}/palmares", "/api/v1/actions/aggregate"]:
        response = client.get(url, HTTP_HOST="label.example.org", secure=True)
        assert response.status_code == 200 and response[CACHE] == "hit", url
    # Another address is another set of keys: not warmed.
    settings.ALLOWED_HOSTS = ["label.example.org", "autre.example.org"]
    assert client.get("/", HTTP_HOST="autre.example.org")[CACHE] == "miss"


def test_warm_needs_an_address(db, monkeypatch):
    monkeypatch.delenv("AROBASE_SITE_URL", raising=False)
    with pytest.raises(CommandError, match="Donnez l'adresse publique du site"):
        call_command("warm", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Adresse du site invalide"):
        call_command("warm", "--url", "label.example.org/chemin", stdout=io.StringIO())


def test_a_palmares_import_warms_the_pages_it_changed(client, demo, tmp_path, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["testserver"]
    monkeypatch.setenv("AROBASE_SITE_URL", "http://testserver")
    csv = tmp_path / "palmares.csv"
    csv.write_text("annee,code,arobases,mentions,prix\n2023,08003,2,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_palmares", str(csv), stdout=out, stderr=io.StringIO())
    assert "pages publiques préchauffées pour http://testserver" in out.getvalue()
    response = client.get("/palmares/2023/")
    assert response[CACHE] == "hit" and "Aiglemont" in response.content.decode()


def test_without_an_address_the_import_says_how_to_warm_later(demo, tmp_path, monkeypatch):
    monkeypatch.delenv("AROBASE_SITE_URL", raising=False)
    csv = tmp_path / "palmares.csv"
    csv.write_text("annee,code,arobases,mentions,prix\n2023,08003,2,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_palmares", str(csv), stdout=out, stderr=io.StringIO())
    assert "arobase warm --url" in out.getvalue()
