"""The anonymous page cache: keys, the content version that invalidates it, and its timeout.

Every cached page's key holds the current *content version*. Any change to the content (a save,
a delete or a many-to-many change in the content apps, or any write made through the admin)
replaces the version, so every cached page is bypassed at once and expires by itself later.
A cache that is down never stops a page: errors are logged and the page is served uncached.
"""

import hashlib
import logging
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:content-version"
# The apps whose models are public content: a change to any of their models empties the cache.
CONTENT_APPS = frozenset({"casestudies", "principles"})


def _new_version():
    return uuid.uuid4().hex


# Within a request (one_version_per_request), the version once read: a page, its cards and its
# filter form agree on it, and the cache is asked once instead of five times.
_request_version = ContextVar("content_version", default=None)
_UNREAD = object()


@contextmanager
def one_version_per_request():
    """Within, content_version() asks the cache once (a failure too: None is remembered), and
    bump_content_version() replaces what it remembers."""
    token = _request_version.set(_UNREAD)
    try:
        yield
    finally:
        _request_version.reset(token)


def content_version():
    """The current content version, or None when the cache cannot be reached."""
    remembered = _request_version.get()
    if remembered is not None and remembered is not _UNREAD:
        return remembered.value
    version = _read_version()
    if remembered is _UNREAD:
        _request_version.set(_Read(version))
    return version


@dataclass(frozen=True)
class _Read:
    value: str | None


def _read_version():
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:
        logger.warning("Page cache unavailable: serving uncached", exc_info=True)
        return None
    return version


def fragment_cache(name):
    """Where rendered fragments called `name` ("cards", "filterforms") are kept: the process's
    own memory (settings.CACHES), or the default cache where no such alias is configured."""
    return caches[name] if name in settings.CACHES else cache


def bump_content_version(**kwargs):
    """Make every cached page stale. Safe to call at any time, also with the cache down."""
    version = _new_version()
    try:
        cache.set(VERSION_KEY, version, timeout=None)
    except Exception:
        logger.warning("Page cache unavailable: could not invalidate it", exc_info=True)
        version = None
    if _request_version.get() is not None:  # the rest of this request sees its own change
        _request_version.set(_Read(version) if version is not None else _UNREAD)


#: Parameters that campaign and social links add and no page reads: not part of the key.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl"}
)


def is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith("utm_")


def has_tracking(request):
    return any(is_tracking(name) for name in request.GET)


def reads_only(request, names):
    """Tell the page cache that this request's view reads only the query parameters `names`."""
    request.page_cache_parameters = frozenset(names)


def has_unread_parameters(request):
    """Whether the request carries a parameter its view said it does not read (`reads_only`)
    and that is not a tracking parameter: ?nocache=1234 and the like."""
    read = getattr(request, "page_cache_parameters", None)
    return read is not None and any(
        name not in read and not is_tracking(name) for name in request.GET
    )


def page_key(request, version):
    """The page's cache key: the same page whatever order its parameters come in, and with
    or without the tracking parameters of a shared link (?utm_source=..., ?fbclid=...)."""
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
            request.META.get("HTTP_ACCEPT", ""),
        ]
    )
    return f"pagecache:page:{version}:{hashlib.sha256(parts.encode()).hexdigest()}"


def page_timeout(now=None):
    """Seconds a page may stay cached: PAGE_CACHE_SECONDS, but never past the next scheduled
    publication, so a case study scheduled for 9:00 appears at 9:00."""
    from casestudies import facetindex

    now = now or timezone.now()
    timeout = settings.PAGE_CACHE_SECONDS
    # The facet index knows the next scheduled publication (publishing a draft bumps the
    # content version instead): no query on a page the index was already built for.
    upcoming = facetindex.current().valid_until
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
    try:
        cache.set(key, sent_part(response), timeout)
    except Exception:
        logger.warning("Page cache unavailable: page not stored", exc_info=True)
