"""Case-study packs: any filtered list as a PDF to print and share at events.

A pack is a cover, contents grouped by principle (a case study meeting three principles is
listed under each, with its page number) and then each case study on a new page, with its
principles, organisations, themes and contacts. It holds what a visitor may see and nothing
else: the caller passes published case studies only, contacts show only the email addresses and
phone numbers recorded as consented (`Contact.public_email`, `public_phone`), and the renderer
fetches nothing from anywhere (`_fetch_nothing`), so no address in a body can make the server
load a resource.

WeasyPrint draws the HTML of `TEMPLATE` with the stylesheet `STYLESHEET` (page size, margins,
running headers, page numbers and the contents' page numbers, `target-counter()`). Drawing
takes some 0.2 s a case study (plus loading WeasyPrint once a process), over a second for any
list longer than a few case studies, so a pack is kept in the
default cache (Redis in production, shared by every process) under the content version, the
number of case studies published (a scheduled one coming out changes the list without a new
version), the site's address (printed in the pack) and the filters' state, for
PAGE_CACHE_SECONDS; any change to the content makes the next pack afresh. Lists longer than
PACK_MAX_CASE_STUDIES are refused with a message: a pack of hundreds of pages is not something
anyone prints, and drawing it would outlast a request.
"""

import hashlib

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from ..caching import fragments
from ..caching.version import content_version

TEMPLATE = "casestudies/pack.html"
STYLESHEET = "css/pack.css"
CACHE = "packs"  # fragments.fragment_cache: the default cache unless an alias of this name exists


class PackTooLarge(Exception):
    """The list is longer than a pack may be."""


class PackRendererMissing(Exception):
    """WeasyPrint cannot load Pango on this machine (Debian: libpango-1.0-0, libpangoft2-1.0-0)."""


def limit():
    return settings.PACK_MAX_CASE_STUDIES


def _key(filterset, site_url):
    """The pack's cache key; None when nothing may be kept. The site's address is printed in
    the pack, so it is part of the key too."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return None
    state = filterset.state_key()
    version = content_version() if state is not None else None
    if version is None:
        return None
    published = filterset.index.published.bit_count()
    digest = hashlib.sha256(f"{site_url}\n{state}".encode()).hexdigest()
    return f"pack:{version}:{published}:{digest}"


def contents(case_studies, principles):
    """[(principle, [case studies meeting it])] in the principles' order, leaving out principles
    no case study of the pack meets; then (None, [those meeting none]) if there are any."""
    groups = []
    for principle in principles:
        meeting = [cs for cs in case_studies if principle in cs.principles.all()]
        if meeting:
            groups.append((principle, meeting))
    unmatched = [cs for cs in case_studies if not cs.principles.all()]
    if unmatched:
        groups.append((None, unmatched))
    return groups


def _fetch_nothing(url, *args, **kwargs):
    raise ValueError(f"A pack loads no resources ({url!r} was not fetched).")


def render_pdf(case_studies, principles, description, site_url):
    """The PDF of a pack of `case_studies` (published, with what `for_detail` fetches):
    `description` says which list it is (the active filters), `site_url` where it came from."""
    try:
        from weasyprint import CSS, HTML  # loads Pango: only in the processes that make packs
    except OSError as error:  # the Python package is there, the system library is not
        raise PackRendererMissing(str(error)) from None

    case_studies = list(case_studies)
    html = render_to_string(
        TEMPLATE,
        {
            "case_studies": case_studies,
            "groups": contents(case_studies, principles),
            "description": description,
            "site_url": site_url,
            "made_on": timezone.localdate(),
        },
    )
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    return HTML(string=html, base_url=site_url, url_fetcher=_fetch_nothing).write_pdf(
        stylesheets=[stylesheet]
    )


def pack(filterset, principles, description, site_url):
    """The PDF of the pack of `filterset`'s list (published case studies), from the cache when
    the same list was drawn since the content last changed. Raises PackTooLarge past the limit."""
    if filterset.total > limit():
        raise PackTooLarge(filterset.total)

    def draw():
        case_studies = filterset.qs.for_detail()
        return render_pdf(case_studies, principles, description, site_url)

    return fragments.kept(
        CACHE, _key(filterset, site_url), draw, timeout=settings.PAGE_CACHE_SECONDS
    )
