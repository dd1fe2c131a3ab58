"""reverse(), remembered: the addresses of case studies, organisations, principles and themes.

Django's reverse() walks the URLconf's patterns on every call, some 20 µs each, and a case study
page links to about 30 addresses (its principles, organisations, themes, related case studies).
An address depends only on the view's name, its arguments, the URLconf and the script prefix,
and none of them changes while a process runs, so the addresses are remembered per process (a
bounded LRU: nothing about content is kept, so there is nothing to go stale).
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

KEPT = 20_000  # addresses per process: some 3 MB at most


@lru_cache(maxsize=KEPT)
def _reverse(viewname, kwargs, urlconf, prefix):
    return reverse(viewname, urlconf=urlconf, kwargs=dict(kwargs))


def kept_reverse(viewname, **kwargs):
    """reverse(viewname, kwargs=kwargs), computed once per process for each set of arguments."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(viewname, tuple(sorted(kwargs.items())), urlconf, get_script_prefix())
