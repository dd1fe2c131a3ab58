"""What is kept, where, under which key, and how it is invalidated: every cache of the portal.

Everything kept for the public has the content version in its key. The version is a database
row (`casestudies.models.ContentVersion`), replaced in the same transaction as every content
change (`signals`) and every staff write (`middleware.StaffWritesMiddleware`), so nothing can
be committed without invalidating what was kept, whatever the cache is doing.

=====================  ==================  ======================================  =============================
what                   where               key                                     invalidated by
=====================  ==================  ======================================  =============================
the content version    the database; each  (one row)                               replaced by every change;
(`version`)            process keeps what                                          a process reads it again
                       it read                                                     after CONTENT_VERSION_SECONDS
anonymous pages        default cache       pagecache:page:<version>:<sha256 of     a new content version;
(`pages`,              (Redis in           scheme, host, path and the parameters   PAGE_CACHE_SECONDS, never past
`middleware`)          production)         the view reads>                         the next scheduled publication
case study cards       process memory      card:<format>:<version>:<sprite         a new content version;
(discovery.cards)      ("cards" alias)     URL>:<id>                               PAGE_CACHE_SECONDS
links to related       process memory      link:<format>:<version>:<id>            a new content version;
case studies           ("cards" alias)                                             PAGE_CACHE_SECONDS
(discovery.cards)
principles' rows on    process memory,     kept with the facet index of its        as the facet index
a case study page      with the facet      version ("principle objects", "with
(views.pages)          index               rows")
drawn filter forms     process memory      filterform:<version>:<published         a new content version, a
(discovery.filterform) ("filterforms")     count>:<sha256 of the form's address    scheduled case study coming
                                           and filter state>                       out; PAGE_CACHE_SECONDS
PDF packs              default cache       pack:<version>:<published count>:       a new content version, a
(opendata.packs)       (Redis in           <sha256 of the filter state>            scheduled case study coming
                       production)                                                 out; PAGE_CACHE_SECONDS
facet bitsets and      process memory,     the content version it was built for    a new content version, the
remembered searches    per database                                                next scheduled publication,
(discovery.facets)     alias; shared in    facetindex:3:<alias>:<version>          FACET_INDEX_SECONDS; while
                       the default cache                                           the next is built elsewhere
                                                                                   (at most FACET_INDEX_STAND_IN
                                                                                   _SECONDS), the old one answers
                                                                                   and nothing drawn from it is
                                                                                   kept (`version.stand_in`)
what a committed       default cache       facetindex:change:<version>: the        never changes (it describes
change touched                             version it replaced, the case studies   one commit); expires after
(discovery.facets)                         it touched (None: cannot say)           FACET_INDEX_SECONDS
escaped option labels  process memory      the label                               never: escaping is pure
(discovery.jinja)      (lru_cache,
                       20,000)
the site's header and  process memory      template, section (app and URL name),   never: they show nothing of
footer (templatetags.  (a dict)            signed in or not, script prefix         content or of a person; not
page_metadata)                                                                     kept under DEBUG
addresses of case      process memory      view name, arguments, URLconf, script   never: an address depends on
studies, organisa-     (lru_cache,         prefix                                  nothing else
tions, principles,     20,000)
themes (coopnet.
urls_kept)
a user's editor        the user object     an attribute                            the end of the request
membership
(models.editors)
sign-in and sign-up    default cache       allauth's rate-limit keys (action,      their own windows (minutes);
attempts (allauth)                         client address or email address)        nothing public is kept there
=====================  ==================  ======================================  =============================

Pages that depend on who is signed in (a member's contact details, the question form, the
account pages) are never kept: a signed-in request carries a session cookie, and the page
cache neither serves nor stores a request with one; the members' own pages are also marked
private and never cached, and `/accounts/` is excluded outright (PAGE_CACHE_EXCLUDE_PREFIXES).
A visitor's case study page shows only what everyone may see and a link to sign in, with no
CSRF token, so it is still kept (tests/test_contact_visibility.py).
The case-study lists link to their email alert with a plain address carrying the list's own
query string, the same for everyone, so they are still kept; the alert pages themselves (the
form, confirming, unsubscribing, a member's alerts) carry CSRF tokens or addresses and are
marked never to be cached (tests/test_alerts.py).

A cache that does not answer never stops a page: `pages` and `fragments` log and carry on
(a page is reported as kept only when the cache has it afterwards). A process that cannot read
the version from the database goes on with the last one it read; with none, nothing is kept
or reused.
"""
