import random
import string
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from arobase.labels.models import Edition, Label, Mention, PendingImport, Prize
from arobase.territories.models import Territory

pytestmark = pytest.mark.django_db
URL = "/admin/labels/label/import/"
GOOD = b"annee,code,arobases,mentions,prix\n2024,59368,5,,\n2023,34145,4,,\n"


@pytest.fixture
def staff(client):
    user = User.objects.create_user("delegation", password="x" * 16, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_label", "change_label", "view_label"]))
    client.force_login(user)
    return client


def upload(client, content, name="palmares.csv", replace=False):
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if replace:
        data["replace"] = "on"
    return client.post(URL, data)


def test_preview_then_confirm(staff):
    preview = upload(staff, GOOD)
    page = preview.content.decode()
    assert preview.status_code == 200 and "<strong>2</strong> label(s) à créer" in page
    assert Label.objects.count() == 0  # nothing written before confirmation
    payload = preview.context["payload"]
    done = staff.post(URL, {"payload": payload, "confirm": "1"}, follow=True)
    assert "Palmarès importé : 2 label(s) créé(s)" in done.content.decode()
    assert Label.objects.count() == 2


def test_preview_lists_every_error_and_offers_no_confirmation(staff):
    page = upload(staff, b"annee,code,arobases,mentions,prix\n2024,99999,5,,\n2024,59368,9,,\n").content.decode()
    assert "ligne 2: code « 99999 » inconnu" in page and "ligne 3: arobases « 9 » invalides" in page
    assert 'name="confirm"' not in page


def test_preview_shows_replacements(staff):
    upload(staff, GOOD)
    staff.post(URL, {"payload": upload(staff, GOOD).context["payload"], "confirm": "1"})
    page = upload(staff, b"annee,code,arobases,mentions,prix\n2023,34145,5,,\n", replace=True).content.decode()
    assert "Labels remplacés" in page and "Lunel (34145)" in page


def test_tampered_payload_is_refused(staff):
    response = staff.post(URL, {"payload": "forged", "confirm": "1"}, follow=True)
    assert "Aperçu expiré ou altéré" in response.content.decode()
    assert Label.objects.count() == 0


@pytest.mark.parametrize("name, content, message", [
    ("palmares.xlsx", GOOD, "extension .csv"),
    ("palmares.csv", b"a\x00b", "pas un fichier texte"),
    ("palmares.csv", b"x" * (5 * 1024 * 1024 + 1), "trop volumineux"),
])
def test_uploads_are_validated(staff, name, content, message):
    page = upload(staff, content, name=name).content.decode()
    assert message in page and Label.objects.count() == 0


def test_only_staff_with_permissions_can_import(client):
    assert client.get(URL).status_code == 302  # to the login page
    user = User.objects.create_user("correspondant", password="x" * 16, is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_admin_lets_the_jury_award_ten_only_to_eligible_territories(admin_client):
    madeleine = Territory.objects.get(code="59368")
    for year in range(2015, 2020):
        Edition.objects.create(year=year)
        Label.objects.create(territory=madeleine, edition_id=year, arobases=5)
    Edition.objects.create(year=2020)
    ten = Prize.objects.get(slug="territoire-excellence-numerique")
    data = {"territory": madeleine.pk, "edition": 2020, "arobases": 4, "prizes": [ten.pk]}
    page = admin_client.post("/admin/labels/label/add/", data).content.decode()
    assert "le label de l&#x27;année doit être de 5 @" in page
    data["arobases"] = 5
    response = admin_client.post("/admin/labels/label/add/", data)
    assert response.status_code == 302
    assert Label.objects.get(territory=madeleine, edition=2020).prize_slugs == {"territoire-excellence-numerique"}


def test_admin_refuses_ten_with_too_few_five_arobases(admin_client):
    lunel = Territory.objects.get(code="34145")
    Edition.objects.create(year=2024)
    ten = Prize.objects.get(slug="territoire-excellence-numerique")
    page = admin_client.post("/admin/labels/label/add/", {"territory": lunel.pk, "edition": 2024, "arobases": 5, "prizes": [ten.pk]}).content.decode()
    assert "il faut au moins 6 labels 5 @" in page
    assert not Label.objects.exists()


def test_admin_refuses_arobases_with_hors_concours(admin_client):
    Edition.objects.create(year=2024)
    page = admin_client.post("/admin/labels/label/add/", {"territory": Territory.objects.get(code="34145").pk, "edition": 2024, "arobases": 3, "hors_concours": "on"}).content.decode()
    assert "Un label hors concours n&#x27;a pas d&#x27;arobases." in page


def test_a_large_file_that_previews_also_confirms(staff, settings):
    """4 MB previewed fine, then its confirmation was a 400: the form carried the file,
    over DATA_UPLOAD_MAX_MEMORY_SIZE. Only a signed reference travels now."""
    codes = list(Territory.objects.filter(kind="commune").order_by("code").values_list("code", flat=True)[:8000])
    rng = random.Random(6)  # an ignored column of text that does not compress, as real comments
    lines = [f"{year},{code},3,,,{''.join(rng.choices(string.ascii_letters, k=245))}" for code in codes for year in (2023, 2024)]
    content = ("annee,code,arobases,mentions,prix,commentaire\n" + "\n".join(lines) + "\n").encode()
    assert 4_000_000 < len(content) < 5 * 1024 * 1024
    preview = upload(staff, content)
    assert preview.status_code == 200 and "<strong>16000</strong> label(s) à créer" in preview.content.decode()
    payload = preview.context["payload"]
    assert len(payload) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1000
    carrying_the_file = staff.post(URL, {"payload": "x" * len(content), "confirm": "1"})
    assert carrying_the_file.status_code == 400  # what the confirmation got when the form carried the file
    done = staff.post(URL, {"payload": payload, "confirm": "1"}, follow=True)
    assert "Palmarès importé : 16000 label(s) créé(s)" in done.content.decode()
    assert Label.objects.count() == 16000
    again = staff.post(URL, {"payload": payload, "confirm": "1"}, follow=True)  # confirmed once only
    assert "Aperçu expiré ou altéré" in again.content.decode() and Label.objects.count() == 16000


def test_a_confirmed_or_stale_preview_leaves_no_file_behind(staff):
    """The previewed file waits on the server for its confirmation, a day at most."""
    confirmed = upload(staff, GOOD).context["payload"]
    staff.post(URL, {"payload": confirmed, "confirm": "1"})
    assert not PendingImport.objects.exists()
    forgotten = upload(staff, b"annee,code,arobases,mentions,prix\n2022,34145,4,,\n").context["payload"]
    PendingImport.objects.update(uploaded_at=timezone.now() - timedelta(days=1, minutes=1))
    upload(staff, b"annee,code,arobases,mentions,prix\n2021,34145,4,,\n")
    assert PendingImport.objects.count() == 1  # the stale one is gone, the new one waits
    response = staff.post(URL, {"payload": forgotten, "confirm": "1"}, follow=True)
    assert "Aperçu expiré ou altéré" in response.content.decode()
    assert not Label.objects.filter(edition=2022).exists()


def test_another_staff_member_cannot_confirm_my_preview(staff, client):
    payload = upload(staff, GOOD).context["payload"]
    other = User.objects.create_superuser("autre", password="x" * 16)
    client.force_login(other)
    response = client.post(URL, {"payload": payload, "confirm": "1"}, follow=True)
    assert "Aperçu expiré ou altéré" in response.content.decode() and Label.objects.count() == 0


@pytest.mark.parametrize("model", [Mention, Prize])
@pytest.mark.parametrize("slug, message", [
    ("-A1", "commence par une lettre minuscule"), ("1-mention", "commence par une lettre minuscule"),
    ("Majuscule", "commence par une lettre minuscule"), ("-a", "commence par une lettre minuscule"),
    ("=1", "ne doit contenir que des lettres"), ("@x", "ne doit contenir que des lettres"), ("+x", "ne doit contenir que des lettres"),
])
def test_slugs_start_with_a_lowercase_letter(admin_client, model, slug, message):
    before = model.objects.count()
    page = admin_client.post(f"/admin/labels/{model._meta.model_name}/add/", {"slug": slug, "name": "Essai"}).content.decode()
    assert message in page and model.objects.count() == before


def test_a_good_slug_is_accepted(admin_client):
    response = admin_client.post("/admin/labels/mention/add/", {"slug": "sobriete-numerique", "name": "Sobriété numérique"})
    assert response.status_code == 302


def test_the_admin_never_moves_an_edition_to_another_phase(world, login):
    """The phase field is read-only on an edition: the season's transition (which checks
    the blockers and journals the move) is the only way; a new edition starts in
    preparation or, for a past one, published."""
    client = login(world.staff)
    page = client.get(f"/admin/labels/edition/{world.edition.pk}/change/").content.decode()
    assert 'name="phase"' not in page
    data = {"year": world.edition.year, "number": "", "phase": "publie", "opening_date": "", "closing_date": "", "ceremony_date": "",
            "ceremony_place": "", "participants": "0", "fee_rate": "0.05", "fee_min": "50", "fee_max": "5000"}
    client.post(f"/admin/labels/edition/{world.edition.pk}/change/", data)
    world.edition.refresh_from_db()
    assert world.edition.phase == "candidatures"
    response = client.post("/admin/labels/edition/add/", {**data, "year": 2030, "phase": "deliberation"})
    assert response.status_code == 200 and not Edition.objects.filter(year=2030).exists()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_preview_confirmed_twice_imports_once_and_says_so(staff):
    payload = upload(staff, GOOD).context["payload"]
    staff.post(URL, {"payload": payload, "confirm": "1"})
    again = staff.post(URL, {"payload": payload, "confirm": "1"}, follow=True)
    said = [str(m) for m in again.context["messages"]]
    assert again.status_code == 200 and any("déjà confirmé n'est jamais importé une seconde fois" in m for m in said), said
    assert Label.objects.count() == 2
