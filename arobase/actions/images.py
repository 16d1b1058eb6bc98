"""Uploaded images: checked from their content, re-encoded without metadata, thumbnailed.

The file name and the declared type are never trusted: Pillow must recognise the bytes
as JPEG, PNG or WebP; the pixel count is bounded before decoding (a small file can
declare a huge image); the image is decoded and saved anew, which drops EXIF data
(GPS position, camera serial).
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2400
THUMBNAIL_SIDE = 480


def clean_upload(upload):
    """Validate an uploaded file; return (full image, thumbnail, (width, height)),
    the images as JPEG ContentFiles."""
    if upload.size > MAX_BYTES:
        raise ValidationError("L'image dépasse 5 Mo : réduisez-la avant de l'envoyer.")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError("L'image dépasse 5 Mo : réduisez-la avant de l'envoyer.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationError("Format non reconnu : envoyez une image JPEG, PNG ou WebP.")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError("L'image a trop de pixels (plus de 40 millions) : réduisez-la.")
            probe.load()
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise ValidationError("Ce fichier n'est pas une image lisible : envoyez une image JPEG, PNG ou WebP.") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return _jpeg(image, 85), _jpeg(thumbnail, 80), image.size


def _jpeg(image, quality):
    """Pixels only: Pillow writes back what `info` holds (the comment segment, the ICC
    profile…), so the image is saved from a copy without any."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    buffer = io.BytesIO()
    bare.save(buffer, "JPEG", quality=quality, optimize=True)
    return ContentFile(buffer.getvalue())
