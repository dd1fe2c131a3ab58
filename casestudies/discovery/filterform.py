"""The filter form of the case study list and the coverage page, kept per filter state.

Drawing the form means counting every facet option (some 480 of them at 10,000 case studies) and
rendering them: about a quarter of a list page's work. The form depends only on the filters
chosen (not on the page of results, nor on parameters the filters ignore) and on the content, so
it is kept in the process's memory (the "filterforms" cache) under the content version
(casestudies.caching), the page's address and the filters' state: the next page of results, a
page cached apart because of an unknown parameter, or the same filters again reuse it. Any
change to the content draws it afresh. A form with errors is never kept; neither is anything
when the cache is off or down.
"""

import hashlib

from django.conf import settings
from django.template import engines
from django.utils.safestring import mark_safe

from ..caching import fragments
from ..caching.version import content_version

TEMPLATE = "filter_form.html"  # of the "fragments" engine (Jinja2): templates/jinja2/


def _key(context):
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    state = context["filter"].state_key()
    version = content_version() if state is not None else None
    if version is None:
        return None
    # A scheduled case study coming out changes the options (a new year, theme or count)
    # without a new content version: the number of published case studies is in the key.
    published = context["filter"].index.published.bit_count()
    digest = hashlib.sha256(f"{context['action']}\n{state}".encode()).hexdigest()
    return f"filterform:{version}:{published}:{digest}"


def render(context):
    """The filter form's HTML for this template context (it holds `filter`, `facets` and
    `action`), from the cache when the same filters were drawn since the content changed."""

    def draw():
        return (
            engines["fragments"]
            .get_template(TEMPLATE)
            .render({name: context[name] for name in ("filter", "facets", "action")})
        )

    # Rendered, and so escaped, by TEMPLATE.
    return mark_safe(
        fragments.kept("filterforms", _key(context), draw, timeout=settings.PAGE_CACHE_SECONDS)
    )
