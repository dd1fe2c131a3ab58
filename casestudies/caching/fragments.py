"""Rendered fragments (cards, filter forms) kept in a cache alias of their own.

One home for "use the cache if it answers, log and carry on if it does not" for the cards and
filter forms (whole pages have their own, in `pages`, which also asks back whether a page was
kept).
"""

import logging

from django.conf import settings
from django.core.cache import cache, caches

from .version import keeps_nothing

logger = logging.getLogger(__name__)


def fragment_cache(name):
    """Where rendered fragments called `name` ("cards", "filterforms") are kept: the process's
    own memory (settings.CACHES), or the default cache where no such alias is configured."""
    return caches[name] if name in settings.CACHES else cache


def get_many(name, keys):
    """{key: fragment} of those kept under `keys`; {} when the cache does not answer."""
    if not keys:
        return {}
    try:
        return fragment_cache(name).get_many(keys)
    except Exception:
        logger.warning("Cache unavailable: %s rendered afresh", name, exc_info=True)
        return {}


def set_many(name, fragments, timeout):
    """Keep `fragments` ({key: HTML}) for `timeout` seconds, if the cache answers (and the
    request drew on nothing of an earlier content version: `version.stand_in`)."""
    if not fragments or keeps_nothing():
        return
    try:
        fragment_cache(name).set_many(fragments, timeout=timeout)
    except Exception:
        logger.warning("Cache unavailable: %s not kept", name, exc_info=True)


def kept(name, key, render, timeout):
    """The fragment kept under `key`, or `render()`'s, then kept; just `render()`'s when `key`
    is None (nothing may be kept) or the cache does not answer."""
    if key is None:
        return render()
    fragment = get_many(name, [key]).get(key)
    if fragment is None:
        fragment = render()
        set_many(name, {key: fragment}, timeout)
    return fragment
