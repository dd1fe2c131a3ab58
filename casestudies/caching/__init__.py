"""What is kept, where, under which key, and how it is invalidated: every cache of the portal.

=====================  ==================  ======================================  =============================
what                   where               key                                     invalidated by
=====================  ==================  ======================================  =============================
anonymous pages        default cache       pagecache:page:<version>:<sha256 of     a new content version;
(`pages`,              (Redis in           scheme, host, path, the parameters the  PAGE_CACHE_SECONDS, never past
`middleware`)          production)         view reads, Accept>                     the next scheduled publication
content version        default cache       pagecache:content-version               every content change
(`version`)                                                                        (`signals`), every staff write
                                                                                   (`StaffWritesMiddleware`)
case study cards       process memory      card:<format>:<version>:<sprite         a new content version;
(discovery.cards)      ("cards" alias)     URL>:<id>                               PAGE_CACHE_SECONDS
drawn filter forms     process memory      filterform:<version>:<sha256 of the     a new content version;
(discovery.filterform) ("filterforms")     form's address and filter state>        PAGE_CACHE_SECONDS
facet bitsets and      process memory,     the content version it was built for    a new content version, the
remembered searches    per database                                                next scheduled publication,
(discovery.facets)     alias                                                       FACET_INDEX_SECONDS
escaped option labels  process memory      the label                               never: escaping is pure
(templatetags.         (lru_cache,
case_study_lists)      20,000)
a user's editor        the user object     an attribute                            the end of the request
membership
(models.editors)
=====================  ==================  ======================================  =============================

`fragments` is the one place that uses a cache and carries on (logging) when it does not
answer; `version.content_version` is None then, and nothing is kept or reused.
"""
