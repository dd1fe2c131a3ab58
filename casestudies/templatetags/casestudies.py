"""Template helpers for showing case studies safely."""

import logging

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from easy_thumbnails.exceptions import InvalidImageFormatError
from easy_thumbnails.files import get_thumbnailer

from casestudies.models.richtext import sanitise_html

register = template.Library()
logger = logging.getLogger(__name__)


@register.filter
def sanitise(html):
    """Rich text, cleaned against the allow-list again as it is shown (defence in depth)."""
    return mark_safe(sanitise_html(str(html or "")))  # nh3 has just cleaned it


@register.filter
def web_url(url):
    """`url` if it is an http(s) address, else "": never a javascript: or data: link."""
    url = str(url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


@register.inclusion_tag("casestudies/includes/lead_image.html")
def lead_image(case_study):
    """The case study's lead image in the sizes that fit the layout, for `srcset`."""
    image = case_study.lead_image
    if not image:
        return {"renditions": []}
    aliases = settings.THUMBNAIL_ALIASES["casestudies.CaseStudy.lead_image"]
    renditions = {}
    try:
        thumbnailer = get_thumbnailer(image)
        for alias in aliases:
            thumbnail = thumbnailer[alias]
            renditions.setdefault(thumbnail.width, thumbnail)
    except (InvalidImageFormatError, OSError):
        logger.warning("Lead image of case study %s cannot be read: %s", case_study.pk, image)
        return {"renditions": []}
    ordered = [renditions[width] for width in sorted(renditions)]
    return {
        "renditions": ordered,
        "default": ordered[min(1, len(ordered) - 1)],
        "alt": case_study.lead_image_alt,
    }
