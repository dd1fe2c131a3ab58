"""reverse(), remembered: the addresses of case studies, organisations, principles and themes.

Django's reverse() walks the URLconf's patterns on every call, some 20 µs each, and a case study
page links to about 30 addresses (its principles, organisations, themes, related case studies).
An address depends only on the view's name, its arguments, the URLconf and the script prefix,
and none of them changes while a process runs, so the addresses are remembered per process (a
bounded LRU: nothing about content is kept, so there is nothing to go stale). An address whose
only argument is a slug is the same around any slug: it is put together from the address of
its view around a mark, so that a list page's twenty case studies, mostly new to the process at
100,000 case studies, cost no reverse() either.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter

KEPT = 20_000  # addresses per process: some 3 MB at most


@lru_cache(maxsize=KEPT)
def _reverse(viewname, kwargs, urlconf, prefix):
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


_SLUG = re.compile(SlugConverter.regex + r"\Z")  # what quoting leaves alone
_MARK = "coopnet-slug-mark"


@lru_cache(maxsize=256)
def _around_slug(viewname, urlconf, prefix):
    """The address of `viewname` before and after its slug, or None if the mark is not in it
    exactly once."""
    address = reverse(viewname, urlconf=urlconf, kwargs={"slug": _MARK})
    if address.count(_MARK) != 1:
        return None
    return tuple(address.split(_MARK))


def kept_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), computed once per process for each set of arguments
    (for a slug alone, once per view)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix = get_script_prefix()
    slug = kwargs.get("slug")
    if len(kwargs) == 1 and isinstance(slug, str) and _SLUG.match(slug):
        around = _around_slug(viewname, urlconf, prefix)
        if around is not None:
            return f"{around[0]}{slug}{around[1]}"
    return _reverse(viewname, tuple(sorted(kwargs.items())), urlconf, prefix)
