"""Action sheets: editing every field, sanitised text, images, moderation, concurrent edits."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from arobase.actions import rules as action_rules
from arobase.actions.models import Action, Image

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>[clic](javascript:alert(1))'


def form_data(world, **overrides):
    data = {
        "title": "Conseil municipal en direct", "subtitle": "Sur le site de la ville", "summary": "Les séances filmées.",
        "done": "- caméras\n- **diffusion**", "tools": "", "providers": "", "results": "", "recommendations": "",
        "links": "https://example.fr/conseil", "status": "en-cours", "started": "2025-09-01", "ended": "",
        "services": [world.services[0].pk, world.services[1].pk], "place_name": "", "address": "", "lat": "", "lon": "",
        "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0", "people-MIN_NUM_FORMS": "0", "people-MAX_NUM_FORMS": "30",
        "people-0-name": "Ana Lopez", "people-0-role": "cheffe de projet", "people-0-email": "ana@example.fr",
        "people-0-phone": "0102030405", "people-0-consent": "on",
    }
    data.update(overrides)
    return data


def create(client, world, **overrides):
    response = client.post("/espace/59368/actions/nouvelle/", form_data(world, **overrides))
    assert response.status_code == 302, response.content.decode().replace("&#x27;", "'")[:3000]
    return Action.objects.latest("pk")


def test_correspondent_writes_publishes_and_the_public_sees_it(world, client):
    client.force_login(world.correspondent)
    action = create(client, world)
    assert action.state == action_rules.DRAFT and action.services.count() == 2 and action.people.get().consent
    client.post(f"/espace/59368/actions/{action.pk}/etat/", {"decision": "publish"})
    action.refresh_from_db()
    assert action.state == action_rules.PUBLISHED and action.published_at
    client.logout()
    page = client.get(f"/actions/{action.pk}/").content.decode().replace("&#x27;", "'")
    assert "Conseil municipal en direct" in page and "<strong>diffusion</strong>" in page
    assert "Ana Lopez" in page and "ana@example.fr" not in page and "0102030405" not in page
    client.force_login(world.stranger)  # an account, but no role nor territory: not a member of the network
    assert "ana@example.fr" not in client.get(f"/actions/{action.pk}/").content.decode().replace("&#x27;", "'")
    client.force_login(world.evaluator)
    assert "ana@example.fr" in client.get(f"/actions/{action.pk}/").content.decode().replace("&#x27;", "'")


def test_contacts_without_consent_stay_hidden(world, client):
    client.force_login(world.correspondent)
    action = create(client, world, **{"people-0-consent": ""})
    action.state = action_rules.PUBLISHED
    action.save()
    assert "ana@example.fr" not in client.get(f"/actions/{action.pk}/").content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("field", ["title", "subtitle", "summary", "done", "tools", "providers", "results", "recommendations", "place_name", "address"])
def test_script_in_every_text_field_is_neutralised(world, client, field):
    client.force_login(world.correspondent)
    action = create(client, world, **{field: SCRIPT, "people-0-name": SCRIPT, "people-0-role": SCRIPT})
    action.state = action_rules.PUBLISHED
    action.save()
    for url in (f"/actions/{action.pk}/", f"/espace/59368/actions/{action.pk}/", "/espace/59368/actions/"):
        assert active_content(client.get(url).content.decode()) == []


class ActiveContent(HTMLParser):
    """Collects what a browser would run: script elements, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def active_content(html):
    parser = ActiveContent()
    parser.feed(html)
    return parser.found


def test_validation_messages(world, client):
    client.force_login(world.correspondent)
    response = client.post("/espace/59368/actions/nouvelle/", form_data(
        world, services=[], links="ftp://x\njavascript:alert(1)", status="realisee", started="2025-05-01", ended="2025-01-01",
        lat="91", lon="", title="Nul\x00",
    ))
    text = response.content.decode().replace("&#x27;", "'")
    assert "au moins un service" in text
    assert "Adresse non valable" in text
    assert "La latitude est comprise entre -90 et 90" in text
    assert "précède" in text
    assert not Action.objects.exists()


def test_other_correspondent_cannot_create_for_madeleine(world, client):
    client.force_login(world.other)
    assert client.post("/espace/59368/actions/nouvelle/", form_data(world)).status_code == 404
    assert not Action.objects.exists()


def test_local_actor_proposes_and_correspondent_moderates(world, client):
    client.force_login(world.actor)
    action = create(client, world)
    assert action.state == action_rules.PROPOSED
    assert client.post(f"/espace/59368/actions/{action.pk}/etat/", {"decision": "publish"}).status_code == 403
    assert client.get(f"/actions/{action.pk}/").status_code == 200  # its author sees the preview
    client.logout()
    assert client.get(f"/actions/{action.pk}/").status_code == 404
    client.force_login(world.correspondent)
    response = client.post(f"/espace/59368/actions/{action.pk}/etat/", {"decision": "refuse", "reason": ""}, follow=True)
    assert "Indiquez le motif" in response.content.decode().replace("&#x27;", "'")
    client.post(f"/espace/59368/actions/{action.pk}/etat/", {"decision": "refuse", "reason": "Doublon d'une fiche existante"})
    action.refresh_from_db()
    assert action.state == action_rules.REFUSED and action.moderation_reason == "Doublon d'une fiche existante"
    client.force_login(world.actor)
    assert "Doublon d'une fiche existante" in client.get(f"/espace/59368/actions/{action.pk}/").content.decode().replace("&#x27;", "'")
    client.post(f"/espace/59368/actions/{action.pk}/", form_data(world, title="Corrigée", version=action.version, **{"people-INITIAL_FORMS": "0"}))
    action.refresh_from_db()
    assert action.state == action_rules.PROPOSED and action.title == "Corrigée"
    client.force_login(world.correspondent)
    client.post(f"/espace/59368/actions/{action.pk}/etat/", {"decision": "publish"})
    action.refresh_from_db()
    assert action.state == action_rules.PUBLISHED


def test_concurrent_edit_keeps_both_and_says_what_changed(world, client):
    client.force_login(world.correspondent)
    action = create(client, world)
    version = action.version
    # Someone else saves first (e.g. another correspondent in another tab).
    client.post(f"/espace/59368/actions/{action.pk}/", form_data(world, version=version, summary="Version de Bernard"))
    # The second editor saves from the old version: refused, told, nothing lost.
    response = client.post(f"/espace/59368/actions/{action.pk}/", form_data(world, version=version, title="Titre de Camille"))
    text = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200 and "a été modifiée pendant que vous l'éditiez" in text
    assert "Version de Bernard" in text and "Titre de Camille" in text
    action.refresh_from_db()
    assert action.summary == "Version de Bernard" and action.title == "Conseil municipal en direct"
    # Saving again overwrites, knowingly.
    current = action.version
    client.post(f"/espace/59368/actions/{action.pk}/", form_data(world, version=current, title="Titre de Camille"))
    action.refresh_from_db()
    assert action.title == "Titre de Camille"


def image_bytes(fmt="PNG", size=(64, 48), exif=None):
    buffer = io.BytesIO()
    image = PILImage.new("RGB", size, "navy")
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def draft(world, client):
    client.force_login(world.correspondent)
    return create(client, world)


def upload(client, action, content, name="photo.png", content_type="image/png"):
    return client.post(
        f"/espace/59368/actions/{action.pk}/images/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type), "alt": "La salle du conseil"}, follow=True,
    )


def test_image_reencoded_without_exif(world, client, draft):
    exif = PILImage.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 0.0)}  # GPS
    upload(client, draft, image_bytes("JPEG", exif=exif.tobytes()), "photo.jpg", "image/jpeg")
    image = Image.objects.get()
    with image.file.open("rb") as stored:
        data = stored.read()
    reopened = PILImage.open(io.BytesIO(data))
    assert reopened.format == "JPEG" and not reopened.getexif()
    assert b"CameraMaker" not in data
    assert client.get(f"/actions/{draft.pk}/images/{image.pk}/vignette.jpg").status_code == 200
    client.logout()
    assert client.get(f"/actions/{draft.pk}/images/{image.pk}/image.jpg").status_code == 404  # draft: not public


def test_image_reencoded_without_any_metadata(world, client, draft):
    """Not the EXIF only: the JPEG comment segment and the ICC profile go too, from the
    full image and from the thumbnail."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), "teal").save(buffer, "JPEG", comment=b"secret-comment", icc_profile=b"secret-profile" * 10)
    upload(client, draft, buffer.getvalue(), "photo.jpg", "image/jpeg")
    image = Image.objects.get()
    for stored in (image.file, image.thumbnail):
        with stored.open("rb") as file:
            data = file.read()
        reopened = PILImage.open(io.BytesIO(data))
        assert b"secret" not in data and "comment" not in reopened.info and "icc_profile" not in reopened.info


@pytest.mark.parametrize("content, name, message", [
    (b"<?php system($_GET['c']); ?>", "photo.png", "JPEG, PNG ou WebP"),
    (b"%PDF-1.4 fake", "photo.jpg", "JPEG, PNG ou WebP"),
    (b"GIF89a" + b"\x00" * 100, "anim.gif", "JPEG, PNG ou WebP"),
])
def test_forged_uploads_refused(world, client, draft, content, name, message):
    response = upload(client, draft, content, name)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Image.objects.exists()


def test_oversize_upload_refused(world, client, draft):
    response = upload(client, draft, b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), "big.jpg", "image/jpeg")
    assert "dépasse 5 Mo" in response.content.decode().replace("&#x27;", "'")
    assert not Image.objects.exists()


def test_huge_pixel_count_refused(world, client, draft):
    """A small file declaring 10 000 × 10 000 pixels (a decompression bomb)."""
    response = upload(client, draft, image_bytes("PNG", size=(10_000, 10_000)), "bomb.png")
    assert "trop de pixels" in response.content.decode().replace("&#x27;", "'")
    assert not Image.objects.exists()


def test_a_local_actor_proposes_actions_only_where_they_act(world, client):
    """The actor of La Madeleine (their role's territory) may propose there, not in Lunel."""
    from arobase.actions.models import Action

    client.force_login(world.actor)
    assert client.get("/espace/59368/actions/").status_code == 200
    assert client.get("/espace/34145/actions/").status_code == 404
    assert client.get("/espace/34145/actions/nouvelle/").status_code == 404
    response = client.post("/espace/34145/actions/nouvelle/", {"title": "Proposition ailleurs", "summary": "x", "status": "en-cours"})
    assert response.status_code == 404 and not Action.objects.filter(title="Proposition ailleurs").exists()
