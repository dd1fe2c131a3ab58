"""The content version: one value that every kept page and fragment has in its key.

Any change to the content (a save, a delete or a many-to-many change in CONTENT_APPS, or any
write made through the admin) replaces the version, so everything kept under the old one is
bypassed at once and expires by itself later. A cache that is down never stops a page: the
version is then None, and nothing is kept or reused.
"""

import logging
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:content-version"
#: The apps whose models are public content: a change to any of their models replaces it.
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
