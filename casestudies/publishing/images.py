"""Checks for uploaded lead images (real image content of an allowed type, within size limits),
and a valid upload kept across a save that failed for another reason."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}


def validate_lead_image(file):
    """Refuse files that are too big, are not images, or are images of another type.

    The content is opened with Pillow: a renamed text file or a GIF called `.jpg` is refused.
    """
    max_bytes = settings.LEAD_IMAGE_MAX_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            "The image is %(size)s; the largest allowed is %(max)s. Save it smaller and try again.",
            code="file_too_big",
            params={"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)},
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            "This file is not an image we can read. Upload a JPEG, PNG or WebP image.",
            code="not_an_image",
        ) from None
    finally:
        file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            "This is a %(format)s image; upload a JPEG, PNG or WebP image instead.",
            code="image_type",
            params={"format": image_format or "unknown"},
        )
    if width * height > settings.LEAD_IMAGE_MAX_PIXELS:
        raise ValidationError(
            "The image is %(width)d by %(height)d pixels, too large to process. "
            "Resize it to at most 6000 pixels wide and try again.",
            code="image_too_large",
            params={"width": width, "height": height},
        )
    if width < settings.LEAD_IMAGE_MIN_WIDTH:
        raise ValidationError(
            "The image is only %(width)d pixels wide; use one at least %(min)d pixels wide "
            "so that it looks sharp.",
            code="image_too_small",
            params={"width": width, "min": settings.LEAD_IMAGE_MIN_WIDTH},
        )


# Keeping an image across a failed save. ------------------------------------------------------
#
# A browser never fills a file input in again: when the form has an error elsewhere, the image
# the person chose would be lost and must be chosen again. A valid upload is kept in the media
# storage under KEPT_PREFIX, and the form carries a signed token naming it; the next POST with
# no new file uses the kept one. The token is signed (it cannot name another file) and expires.
# Kept files of attempts never finished stay under KEPT_PREFIX; a periodic clean-up may delete
# those older than a day.

KEPT_PREFIX = "kept-uploads/"
KEPT_SALT = "casestudies.lead-image.kept"
KEPT_SECONDS = 24 * 60 * 60


def keep_upload(upload):
    """Store a checked upload for the next attempt; returns the token that names it."""
    upload.seek(0)
    stored = default_storage.save(f"{KEPT_PREFIX}{upload.name}", upload)
    upload.seek(0)
    content_type = getattr(upload, "content_type", "") or ""
    return signing.dumps(
        {"stored": stored, "name": upload.name, "type": content_type}, salt=KEPT_SALT
    )


def kept_upload(token):
    """The upload a token names, as a fresh uploaded file; None if the token is not valid, has
    expired, or its file is gone."""
    try:
        kept = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_SECONDS)
        stored = kept["stored"]
        if not stored.startswith(KEPT_PREFIX):
            return None
        with default_storage.open(stored) as file:
            content = file.read()
    except (signing.BadSignature, KeyError, TypeError, OSError):
        return None
    upload = SimpleUploadedFile(kept["name"], content, content_type=kept.get("type") or None)
    upload.kept_as = stored
    return upload


def forget_kept(upload):
    """Delete the kept copy of `upload`, once it has been saved for good."""
    stored = getattr(upload, "kept_as", None)
    if stored:
        default_storage.delete(stored)
