"""Checks for uploaded lead images: real image content of an allowed type, within size limits."""

from django.conf import settings
from django.core.exceptions import ValidationError
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
