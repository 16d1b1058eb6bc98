"""Public pages are served from a cache keyed by the published data's version: warm
pages cost one query, and any change (import, edit by staff) shows on the next request."""

import io

import pytest
from django.core.management import call_command

from arobase.labels.models import Edition, Label

pytestmark = pytest.mark.django_db

WARM_URLS = ["/", "/territoires/59368/", "/palmares/2024/", "/palmares/2024/?region=32", "/statistiques/",
             "/territoires/?q=saint", "/territoires/59368/panneau.svg", "/api/v1/editions/2024/palmares",
             "/api/v1/territories/59368/labels", "/en/territoires/59368/"]


@pytest.mark.parametrize("url", WARM_URLS)
def test_a_warm_page_costs_one_query(client, demo, url, django_assert_num_queries):
    first = client.get(url)
    with django_assert_num_queries(1):  # the data version
        again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_languages_and_queries_are_cached_apart(client, demo):
    assert '<html lang="fr">' in client.get("/palmares/2024/").content.decode()
    assert '<html lang="en">' in client.get("/en/palmares/2024/").content.decode()
    assert client.get("/palmares/2024/?region=32").content != client.get("/palmares/2024/").content


def test_hosts_are_cached_apart(client, demo, settings):
    settings.ALLOWED_HOSTS = ["a.example.org", "b.example.org"]
    first = client.get("/api/v1/territories", {"q": "saint"}, HTTP_HOST="a.example.org").json()["next"]
    second = client.get("/api/v1/territories", {"q": "saint"}, HTTP_HOST="b.example.org").json()["next"]
    assert first.startswith("http://a.example.org/") and second.startswith("http://b.example.org/")


def test_an_import_shows_on_the_next_request(client, demo, tmp_path):
    assert "Aiglemont" not in client.get("/palmares/2023/").content.decode()
    csv = tmp_path / "palmares.csv"
    csv.write_text("annee,code,arobases,mentions,prix\n2023,08003,2,,\n", encoding="utf-8")
    call_command("import_palmares", str(csv), stdout=io.StringIO(), stderr=io.StringIO())
    assert "Aiglemont" in client.get("/palmares/2023/").content.decode()
    assert any(label["code"] == "08003" for label in client.get("/api/v1/editions/2023/palmares").json()["results"])


def test_a_staff_edit_shows_on_the_next_request(client, admin_client, demo):
    label = Label.objects.get(territory__code="34145", edition=2023)
    assert "4 @" in client.get("/territoires/34145/").content.decode()
    response = admin_client.post(f"/admin/labels/label/{label.pk}/change/", {
        "territory": label.territory_id, "edition": 2023, "arobases": 5, "mentions": [], "prizes": [],
    })
    assert response.status_code == 302
    page = client.get("/territoires/34145/").content.decode()
    assert "Label 2023 :" in page and "5 @" in page


def test_an_edition_edit_and_a_deletion_show_on_the_next_request(client, demo):
    client.get("/palmares/")
    Edition.objects.filter(year=2024).update(ceremony_place="Lille")  # no signal: a bulk update…
    Edition.objects.get(year=2024).save()  # …then a save, as the admin does
    assert "Lille" in client.get("/palmares/").content.decode()
    Label.objects.filter(territory__code="59368", edition=2024).delete()
    assert "5 @ pour la 9e année consécutive" in client.get("/territoires/59368/").content.decode()


def test_the_demo_and_the_territories_import_move_their_domains(client, demo):
    from arobase.core import data_version

    def versions():
        return {domain: data_version.current((domain,))[0] for domain in data_version.ALL}

    before = versions()
    call_command("import_territories", verbosity=0)
    after_import = versions()
    assert [d for d in data_version.ALL if after_import[d] != before[d]] == [data_version.TERRITORIES]
    call_command("demo", verbosity=0, stdout=io.StringIO())
    after_demo = versions()
    assert after_demo[data_version.PALMARES] != after_import[data_version.PALMARES]
    assert after_demo[data_version.ATLAAS] != after_import[data_version.ATLAAS]
