"""The case study cards of lists, each rendered once per content change and then reused.

A card shows a case study's kind, year, title, councils, summary and principles: nothing that
depends on who looks or on the list it is in, except a search's highlighted words (cards with
those are rendered every time). A card is kept in the cache under the content version
(coopnet.ops.pagecache), so any change to the content renders it afresh; it is kept for at most
PAGE_CACHE_SECONDS (0: cards are never kept). What a card needs (its principles and
organisations) is fetched for the cards that are not in the cache only.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from coopnet.ops.pagecache import content_version
from principles.templatetags.identity import sprite_url

from .models import CaseStudy

logger = logging.getLogger(__name__)

TEMPLATE = "includes/casestudy_card.html"


def _keys(case_studies):
    """Cache keys for the cards that may be kept (none when the cache is off or down)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return {}
    version = content_version()
    if version is None:
        return {}
    # The sprite's address is in every card: a deployment with new icons renders them afresh.
    return {
        case_study.pk: f"card:{version}:{sprite_url()}:{case_study.pk}"
        for case_study in case_studies
        if not hasattr(case_study, "summary_headline")  # a search result: highlighted words
    }


def render_cards(case_studies):
    """The HTML of each case study's card, in order."""
    case_studies = list(case_studies)
    keys = _keys(case_studies)
    kept = {}
    if keys:
        try:
            kept = cache.get_many(list(keys.values()))
        except Exception:
            logger.warning("Cache unavailable: rendering every card", exc_info=True)
    missing = [cs for cs in case_studies if keys.get(cs.pk) not in kept]
    prefetch_related_objects(missing, *CaseStudy.objects.card_prefetches())
    template = get_template(TEMPLATE)
    cards, fresh = [], {}
    for case_study in case_studies:
        key = keys.get(case_study.pk)
        if key in kept:
            cards.append(mark_safe(kept[key]))  # rendered, and so escaped, by TEMPLATE
            continue
        html = template.render({"case_study": case_study})
        cards.append(html)
        if key is not None:
            fresh[key] = str(html)
    if fresh:
        try:
            cache.set_many(fresh, timeout=settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable: cards not kept", exc_info=True)
    return cards
