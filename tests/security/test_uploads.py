"""Uploads: every file field of the site, fed forged, polyglot, oversized and oddly named
files. The site has two: the images of an action sheet (the territory's space) and the
palmarès CSV of the admin's import.

A refused file gets a clear French message, never a 500, and leaves nothing behind: no
row, no file in the media folder, no temporary file. An accepted image is the
re-encoded JPEG, never the bytes that were sent, stored under a name of the site's
choosing.
"""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from arobase.actions import images
from tests.security.conftest import MADELEINE, client_as, png_bytes

ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x02\x00>\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"This program cannot be run in DOS mode" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PHP = b"<?php system($_GET['c']); ?>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_png(width, height):
    """A tiny file declaring a huge image (a decompression bomb's header)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def gif_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "GIF")
    return buffer.getvalue()


def polyglot_png():
    """A valid PNG carrying HTML and PHP in a text chunk and after its end."""
    png = png_bytes()
    text = chunk(b"tEXt", b"Comment\x00" + HTML + PHP)
    return png[:33] + text + png[33:] + HTML + PHP


def jpeg_zip():
    """A JPEG with a ZIP archive appended (a « GIFAR »-style polyglot)."""
    import zipfile

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), (0, 90, 0)).save(buffer, "JPEG")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("evil.php", PHP)
    return buffer.getvalue() + archive.getvalue()


@pytest.fixture
def storage(tmp_path):
    """Media and upload temporary files in folders of the test's own, to see what stays."""
    media, temp = tmp_path / "media", tmp_path / "uploads"
    media.mkdir()
    temp.mkdir()
    with override_settings(MEDIA_ROOT=str(media), FILE_UPLOAD_TEMP_DIR=str(temp)):
        yield media, temp


def files_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def upload_image(sec, name, content, content_type="image/png"):
    url = f"/espace/{MADELEINE}/actions/{sec.draft.pk}/images/"
    # An open file is sent under its own name (the client reads it once, from disk).
    upload = content if hasattr(content, "read") else SimpleUploadedFile(name, content, content_type=content_type)
    return client_as(sec, "correspondent").post(url, {"file": upload, "alt": "Une image"}, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def assert_refused_image(sec, storage, response, expected, where):
    from arobase.actions.models import Image

    assert response.status_code == 200, f"{where}: {response.status_code}"
    texts = messages_of(response)
    assert any(expected in text for text in texts), f"{where}: message {texts}, expected « {expected} »"
    assert Image.objects.filter(action=sec.draft).count() == 2, f"{where}: an image row was stored"  # the world's own two
    media, temp = storage
    assert files_under(media) == [], f"{where}: files stored {files_under(media)}"
    assert files_under(temp) == [], f"{where}: temporary files left {files_under(temp)}"


NOT_AN_IMAGE = "Ce fichier n'est pas une image lisible"
WRONG_FORMAT = "Format non reconnu"

FORGED = [
    ("html.png", HTML, "image/png", NOT_AN_IMAGE),
    ("shell.php.png", PHP, "image/png", NOT_AN_IMAGE),
    ("shell.png", PHP + png_bytes(), "image/png", NOT_AN_IMAGE),  # PHP first: not a PNG
    ("programme.pdf", ELF, "application/pdf", NOT_AN_IMAGE),
    ("setup.jpg", MZ, "image/jpeg", NOT_AN_IMAGE),
    ("dessin.png", SVG, "image/svg+xml", NOT_AN_IMAGE),
    ("anime.png", gif_bytes(), "image/png", WRONG_FORMAT),  # a real image, but GIF
    ("vide.png", b"", "image/png", "fichier"),  # empty: Django's own French message
    ("48-megapixels.png", huge_png(8000, 6000), "image/png", "trop de pixels"),  # the site's own bound
    ("bombe.png", huge_png(20000, 20000), "image/png", NOT_AN_IMAGE),  # Pillow's bomb guard
]


@pytest.mark.parametrize("name, content, content_type, expected", FORGED, ids=[f[0] for f in FORGED])
def test_forged_images_are_refused(sec, isolated, storage, name, content, content_type, expected):
    response = upload_image(sec, name, content, content_type)
    assert_refused_image(sec, storage, response, expected, name)


@pytest.mark.parametrize("name, content", [("polyglotte.png", polyglot_png()), ("photo.jpg", jpeg_zip())])
def test_a_polyglot_is_stored_re_encoded_without_its_payload(sec, isolated, storage, name, content):
    from arobase.actions.models import Image

    response = upload_image(sec, name, content)
    assert response.status_code == 200 and any("Image ajoutée" in m for m in messages_of(response)), name
    image = Image.objects.filter(action=sec.draft).latest("pk")
    media, _ = storage
    for field in (image.file, image.thumbnail):
        stored = (media / field.name).read_bytes()
        assert stored.startswith(b"\xff\xd8\xff"), f"{field.name} is not the re-encoded JPEG"
        for payload in (b"<script", b"<?php", b"PK\x03\x04", b"evil.php"):
            assert payload not in stored, f"{field.name} keeps {payload!r}"
    assert files_under(media) == sorted([image.file.name, image.thumbnail.name])


def test_an_image_of_exactly_the_limit_is_accepted_one_byte_more_is_not(sec, isolated, storage):
    from arobase.actions.models import Image

    valid = png_bytes()
    padded = valid + b"\x00" * (images.MAX_BYTES - len(valid))  # bytes after IEND are ignored by readers
    response = upload_image(sec, "limite.png", padded)
    assert any("Image ajoutée" in m for m in messages_of(response)), messages_of(response)
    Image.objects.filter(action=sec.draft).exclude(pk__in=[sec.image.pk, sec.spare_image.pk]).delete()
    media, _ = storage
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    response = upload_image(sec, "trop.png", padded + b"\x00")
    assert_refused_image(sec, storage, response, "dépasse 5 Mo", "5 Mo + 1 octet")


def test_a_50_mb_upload_is_refused_without_a_500(sec, isolated, storage, tmp_path):
    big = tmp_path / "enorme.png"
    with open(big, "wb") as out:  # written in chunks: never the whole file in memory here
        out.write(png_bytes())
        block = b"\x00" * (1024 * 1024)
        for _ in range(50):
            out.write(block)
    assert os.path.getsize(big) > 50 * 1024 * 1024
    client = client_as(sec, "correspondent")
    with open(big, "rb") as handle:
        response = client.post(f"/espace/{MADELEINE}/actions/{sec.draft.pk}/images/", {"file": handle, "alt": "Une image"})
    assert response.status_code == 302
    assert response.wsgi_request.FILES["file"].size > 50 * 1024 * 1024  # the server did receive it all
    assert_refused_image(sec, storage, client.get(response["Location"]), "dépasse 5 Mo", "50 Mo")


ODD_NAMES = [
    "../../../../etc/passwd.png",
    "..\\..\\..\\windows\\win.ini.png",
    "/var/www/html/shell.png",
    "nul\x00.php.png",
    "x" * 300 + ".png",
    "été à Lunel — 🙂 ﷽ ‮gnp.exe",
    "<script>alert(1)</script>.png",
    ".htaccess",
    "CON.png",
]


@pytest.mark.parametrize("name", ODD_NAMES, ids=range(len(ODD_NAMES)))
def test_odd_file_names_are_stored_under_the_sites_own_name(sec, isolated, storage, name):
    from arobase.actions.models import Image

    response = upload_image(sec, name, png_bytes())
    assert response.status_code == 200, name
    media, temp = storage
    stored = files_under(media)
    assert files_under(temp) == []
    if not any("Image ajoutée" in m for m in messages_of(response)):  # refused is fine too, if nothing stays
        assert stored == [] and Image.objects.filter(action=sec.draft).count() == 2, name
        return
    image = Image.objects.filter(action=sec.draft).latest("pk")
    prefix = f"actions/{sec.draft.pk}/"
    assert image.file.name.startswith(prefix + "image") and image.file.name.endswith(".jpg"), image.file.name
    assert image.thumbnail.name.startswith(prefix + "vignette") and image.thumbnail.name.endswith(".jpg"), image.thumbnail.name
    assert stored == sorted([image.file.name, image.thumbnail.name])
    for path in media.rglob("*"):
        assert path.resolve().is_relative_to(media.resolve())


# -- The admin's palmarès import ------------------------------------------------------------

def import_palmares(sec, name, content):
    upload = content if hasattr(content, "read") else SimpleUploadedFile(name, content, content_type="text/csv")
    return client_as(sec, "staff").post("/admin/labels/label/import/", {"file": upload})


@pytest.mark.parametrize("name, content, expected", [
    ("palmares.php", b"annee,code,arobases,mentions,prix\n2024,59368,5,,\n", "Le fichier doit être un CSV"),
    ("palmares.csv.exe", b"annee,code,arobases,mentions,prix\n", "Le fichier doit être un CSV"),
    ("palmares.csv", ELF, "n'est pas un fichier texte CSV"),
    ("palmares.csv", MZ, "n'est pas un fichier texte CSV"),
    ("palmares.csv", b"annee,code\x00,arobases\n", "n'est pas un fichier texte CSV"),
    ("palmares.csv", b"x" * (5 * 1024 * 1024 + 1), "trop volumineux"),
])
def test_the_palmares_import_refuses_what_is_not_a_csv(sec, isolated, storage, name, content, expected):
    from arobase.labels.models import PendingImport

    response = import_palmares(sec, name, content)
    assert response.status_code == 200, name
    assert expected in response.content.decode().replace("&#x27;", "'"), name
    assert not PendingImport.objects.exists()
    media, temp = storage
    assert files_under(media) == [] and files_under(temp) == []


def test_the_palmares_import_refuses_50_mb_without_a_500(sec, isolated, storage, tmp_path):
    from arobase.labels.models import PendingImport

    big = tmp_path / "palmares.csv"
    with open(big, "wb") as out:
        out.write(b"annee,code,arobases,mentions,prix\n")
        line = b"2024,59368,5,,\n" * 65536
        while out.tell() < 50 * 1024 * 1024:
            out.write(line)
    with open(big, "rb") as handle:
        response = import_palmares(sec, "palmares.csv", handle)
    assert response.status_code == 200 and "trop volumineux" in response.content.decode()
    assert not PendingImport.objects.exists()
    assert files_under(storage[1]) == []


def test_html_in_a_csv_is_only_data_and_its_name_is_escaped(sec, isolated, storage):
    """A CSV full of HTML is parsed as a palmarès and refused line by line; neither its
    name nor its content is ever rendered as HTML."""
    from arobase.labels.models import Label, PendingImport

    content = b"annee,code,arobases,mentions,prix\n2024,<script>alert(1)</script>,5,,\n"
    response = import_palmares(sec, "<img src=x onerror=alert(1)>.csv", content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in page and "ligne 2" in page
    assert not PendingImport.objects.exists() and not Label.objects.filter(edition_id=2024).exists()
