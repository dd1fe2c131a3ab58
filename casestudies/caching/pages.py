"""The anonymous page cache: which pages are kept, under which key, for how long.

Every kept page's key holds the content version (casestudies.caching.version). A cache that is
down never stops a page: errors are logged and the page is served uncached.
"""

import hashlib
import logging
from datetime import timedelta
from functools import cache as once
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: Parameters that campaign and social links add and no page reads: not part of the key.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl"}
)


def is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith("utm_")


def has_tracking(request):
    return any(is_tracking(name) for name in request.GET)


def reads_only(request, names):
    """Tell the page cache that this request's view reads the query parameters `names` (a view
    that says nothing reads none)."""
    request.page_cache_parameters = frozenset(names)


def reading(*names):
    """A view decorator: the view reads the query parameters `names` (`reads_only`), for views
    that are not ours (the sitemap's ?p=)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            reads_only(request, names)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def varies_on_accept(request):
    """Tell the page cache that this request's answer depends on its Accept header (content
    negotiation between formats): it is then never stored, as Accept is not part of the key."""
    request.page_cache_negotiated = True


def has_unread_parameters(request):
    """Whether the request carries a parameter its view does not read (see `reads_only`) and
    that is not a tracking parameter: ?nocache=1234 and the like. Such pages are served but not
    stored: a page per random value would only push useful pages out of the cache."""
    read = getattr(request, "page_cache_parameters", frozenset())
    return any(name not in read and not is_tracking(name) for name in request.GET)


def is_storable(request):
    """Whether a page made for this request may be stored for everyone."""
    return (
        not has_tracking(request)
        and not has_unread_parameters(request)
        and not getattr(request, "page_cache_negotiated", False)
    )


def page_key(request, version):
    """The page's cache key: the same page whatever order its parameters come in, and with
    or without the tracking parameters of a shared link (?utm_source=..., ?fbclid=...). The
    Accept header is not part of it: no stored page depends on it (`varies_on_accept`), so a
    flood of distinct Accept headers stores nothing new."""
    query = [
        (name, value)
        for name, values in sorted(request.GET.lists())  # each name once, its values in order
        if not is_tracking(name)
        for value in values
    ]
    parts = "\n".join(
        [
            request.scheme,
            request.get_host(),
            request.path,
            urlencode(query),
        ]
    )
    return f"pagecache:page:{version}:{hashlib.sha256(parts.encode()).hexdigest()}"


@once
def _next_publication():
    """settings.PAGE_CACHE_NEXT_PUBLICATION: a function giving the next scheduled publication
    (or None). A setting, not an import, so that the cache needs nothing above it."""
    return import_string(settings.PAGE_CACHE_NEXT_PUBLICATION)


def page_timeout(now=None):
    """Seconds a page may stay cached: PAGE_CACHE_SECONDS, but never past the next scheduled
    publication, so a case study scheduled for 9:00 appears at 9:00."""
    now = now or timezone.now()
    timeout = settings.PAGE_CACHE_SECONDS
    # Publishing a draft replaces the content version; a scheduled publication changes nothing
    # at its hour, so no page may be kept past it.
    upcoming = _next_publication()()
    if upcoming is not None:
        until = (upcoming - now) / timedelta(seconds=1)
        timeout = min(timeout, max(1, int(until)))
    return timeout


def get(key):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Page cache unavailable: serving uncached", exc_info=True)
        return None


def sent_part(response):
    """What the visitor receives, and nothing else: status, headers and the body in one piece.

    A response object can carry much more: an API response keeps its serializer, its queryset
    and every model instance (6 ms to unpickle on each cache hit instead of under 1 ms), and a
    feed is written in some 1,400 pieces, each sent with a system call of its own.
    """
    plain = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    return plain


def store(key, response, timeout):
    """Keep the page; whether it was kept. Asked back, because a cache client that ignores
    errors (django-redis with IGNORE_EXCEPTIONS) or a full cache refusing writes says nothing."""
    try:
        cache.set(key, sent_part(response), timeout)
        if cache.has_key(key):
            return True
    except Exception:
        logger.warning("Page cache unavailable: page not stored", exc_info=True)
        return False
    logger.warning("Page cache refused the page: not stored")
    return False
