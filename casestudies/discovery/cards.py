"""The case study cards of lists, each rendered once per content change and then reused.

A card shows a case study's kind, year, title, councils, summary and principles: nothing that
depends on who looks or on the list it is in, except a search's highlighted words. So the card
is kept with a slot where its summary goes, and the summary (marked, with an excerpt of the
body, in a search's results) is put in on every request. A card is kept in the process's memory
(the "cards" cache) under the content version (casestudies.caching), so any change to the
content renders it afresh; it is kept for at most PAGE_CACHE_SECONDS (0: cards are never kept).
What a card needs (its principles and organisations) is fetched for the cards not kept only;
the principles come from the facet index, without a query.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.conf import settings
from django.db import router
from django.template import engines
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from principles.models import Principle
from principles.templatetags.principle_icons import sprite_url

from ..caching import fragments
from ..caching.version import content_version
from ..models import CaseStudy, CaseStudyOrganisation, Organisation
from . import facets, highlighting

TEMPLATE = "casestudy_card.html"  # of the "fragments" engine: templates/jinja2/
PRINCIPLES_TEMPLATE = "card_principles.html"
# Where the summary goes in a rendered card: a comment, which no escaped text can contain.
SUMMARY_SLOT = mark_safe("<!--card-summary-->")
FORMAT = 5  # part of the cache key: cards kept by an older release are not used


def _keys(pks, kind="card"):
    """{pk: cache key} for the cards (or links, `kind`) of the case studies `pks` that may be
    kept (none when the cache is off or down)."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return {}
    version = content_version()
    if version is None:
        return {}
    # The sprite's address is in every card: a deployment with new icons renders them afresh.
    prefix = f"{kind}:{FORMAT}:{version}" + (f":{sprite_url()}" if kind == "card" else "")
    return {pk: f"{prefix}:{pk}" for pk in pks}


@dataclass(frozen=True)
class Card:
    """What a card shows, worked out here for TEMPLATE to lay out: the template asked the case
    study for each part itself (its kind's label, its address, its organisations by role, its
    principles), and drawing a card took 113-270 us (now some 55): most of it went to Jinja's
    calls into the model and its relations, and to the badges. The row of badges is drawn once
    per set of principles (`principles_row`)."""

    kind: str
    year: int | None
    url: str
    title: str
    councils: str  # their names, joined
    leads: str  # lead members' names, joined (a programme: a Policy Lab, a prototype)
    members: int  # how many participating members
    principles: str  # the row of badges, drawn

    @classmethod
    def of(cls, case_study):
        """The card of `case_study`, whose roles and principles are prefetched (`prefetch`)."""
        names = defaultdict(list)
        for link in facets.prefetched(case_study, "roles"):
            names[link.role].append(link.organisation.name)
        Role = CaseStudyOrganisation.Role
        principles = facets.prefetched(case_study, "principles")
        return cls(
            kind=case_study.get_kind_display(),
            year=case_study.year,
            url=case_study.get_absolute_url(),
            title=case_study.title,
            councils=", ".join(names[Role.COUNCIL]),
            leads=", ".join(names[Role.LEAD]),
            members=len(names[Role.PARTICIPANT]),
            principles=principles_row(
                sprite_url(), tuple(Badge(p.title, p.colour, p.icon) for p in principles)
            ),
        )


class Badge(NamedTuple):
    """What a principle's badge shows (principle_badge and principle_icon read these)."""

    title: str
    colour: str
    icon: str


@lru_cache(maxsize=2048)
def principles_row(sprite, badges):
    """A card's row of principle badges (PRINCIPLES_TEMPLATE), drawn once per set of badges
    (and icon sprite, in the key as the badges draw its address): the case studies of a
    collection share a few hundred sets of principles at most."""
    template = engines["fragments"].get_template(PRINCIPLES_TEMPLATE)
    return mark_safe(template.render({"principles": badges}))  # escaped by the template


def render_cards(case_studies, terms=frozenset()):
    """The HTML of each case study's card, in order; the words stemming to one of `terms` (a
    search's) marked in its summary, with an excerpt of its body around them."""
    case_studies = list(case_studies)
    keys = _keys([case_study.pk for case_study in case_studies])
    kept = fragments.get_many("cards", list(keys.values()))
    missing = [cs for cs in case_studies if keys.get(cs.pk) not in kept]
    prefetch(missing)
    template = engines["fragments"].get_template(TEMPLATE)
    cards, fresh = [], {}
    for case_study in case_studies:
        key = keys.get(case_study.pk)
        card = kept.get(key)
        if card is None:
            card = template.render({"card": Card.of(case_study), "summary": SUMMARY_SLOT})
            if key is not None:
                fresh[key] = card
        before, _, after = card.partition(SUMMARY_SLOT)
        # Both parts were rendered, and so escaped, by TEMPLATE; summary() escapes its own.
        cards.append(mark_safe(before + summary(case_study, terms) + after))
    fragments.set_many("cards", fresh, timeout=settings.PAGE_CACHE_SECONDS)
    return cards


def prefetch(case_studies):
    """Fetch what the cards of `case_studies` (or their pages) show: their organisations in
    their roles (one query, `prefetch_roles`) and their principles, which the facet index
    already knows for published case studies (a bit in each principle's set), so that no query
    is needed for them; those it does not hold are asked of the database."""
    if not case_studies:
        return
    using = case_studies[0]._state.db or "default"
    index = facets.current(using)
    principles = index.keep(
        ("principle objects",), lambda: list(Principle.objects.using(using))
    )  # in their order (position, title), as the prefetch would give them
    facets.prefetch_from_index(index, case_studies, "principles", principles, index.principle)
    prefetch_roles(index, case_studies, using)


def prefetch_roles(index, case_studies, using):
    """Fill each case study's roles, with their organisations, as
    prefetch_related(Prefetch("roles", ...select_related("organisation"))) would, in the same
    order (role, then organisation name). A published case study's roles are in the facet index
    (`roles_at`), so only the others' (a preview) are read, as plain values: building the ORM's
    two objects a row took some 1.5 ms of Python for a page of 20 cards. The organisations, a
    few hundred, are kept with the facet index, and their order by name: a content change gives
    them afresh."""
    rows, unknown = [], []
    for case_study in case_studies:
        place = index.place(case_study.pk)
        if place < 0:
            unknown.append(case_study.pk)
        else:
            rows += [(pk, case_study.pk, o, role) for pk, o, role in index.roles_at[place]]
    if unknown:
        rows += (
            CaseStudyOrganisation.objects.using(using)
            .filter(case_study__in=unknown)
            .values_list("pk", "case_study_id", "organisation_id", "role")
        )
    organisations = index.keep(("organisation objects",), dict)  # filled as they are met
    unseen = {organisation for _, _, organisation, _ in rows} - organisations.keys()
    if unseen:
        organisations.update(Organisation.objects.using(using).in_bulk(unseen))
    by_name = index.keep(
        ("organisation order",),
        lambda: {pk: n for n, (pk, _, _) in enumerate(facets.names(index, Organisation, using))},
    )
    rows.sort(key=lambda row: (row[3], by_name.get(row[2], -1), row[0]))
    roles = defaultdict(list)
    for pk, case_study, organisation, role in rows:
        if organisation not in organisations:
            continue  # deleted since the index this request answers from (`stand_in`)
        link = CaseStudyOrganisation(
            pk=pk, case_study_id=case_study, organisation_id=organisation, role=role
        )
        link._state.adding, link._state.db = False, using
        link._state.fields_cache["organisation"] = organisations[organisation]
        roles[case_study].append(link)
    for case_study in case_studies:
        facets.fill_prefetched(case_study, "roles", roles[case_study.pk])


@dataclass(frozen=True)
class Link:
    """What a link to a case study shows (its page's "Related case studies")."""

    url: str
    title: str
    kind: str
    year: int | None


def related(case_study, limit=3, using=None):
    """Links to the other published case studies sharing the most principles with `case_study`
    (`FacetIndex.related`: no query for which they are). Like cards, each link is kept under
    the content version, so the query for what a link shows is made only for those not kept:
    related case studies are drawn from the newest, so most pages find theirs kept."""
    using = using or router.db_for_read(CaseStudy)
    principles = [principle.pk for principle in case_study.principles.all()]
    ranked = [pk for pk, _ in facets.current(using).related(case_study.pk, principles, limit)]
    keys = _keys(ranked, kind="link")
    kept = fragments.get_many("cards", list(keys.values()))
    links = {pk: kept[keys[pk]] for pk in ranked if keys.get(pk) in kept}
    missing = [pk for pk in ranked if pk not in links]
    if missing:
        fresh = {}
        found = (
            CaseStudy.objects.using(using)
            .published()
            .only("pk", "slug", "title", "kind", "year")
            .filter(pk__in=missing)
        )
        for other in found:
            link = Link(other.get_absolute_url(), other.title, other.get_kind_display(), other.year)
            links[other.pk] = link
            if other.pk in keys:
                fresh[keys[other.pk]] = link
        fragments.set_many("cards", fresh, timeout=settings.PAGE_CACHE_SECONDS)
    return [links[pk] for pk in ranked if pk in links]


def summary(case_study, terms):
    """A card's summary paragraph; in a search's results, with the matched words marked and an
    excerpt of the body around its best cluster of matches (when the body matches)."""
    marked = highlighting.highlight_all(case_study.summary, terms) if terms else None
    excerpt = None
    if terms and "body" in case_study.__dict__:  # search results fetch their bodies
        excerpt = highlighting.excerpt(case_study.body, terms)
    # The marked summary and the excerpt are escaped, marks aside, by highlighting.
    paragraph = format_html('<p class="card__summary">{}</p>', marked or case_study.summary)
    if excerpt:
        paragraph += format_html('\n  <p class="excerpt">{}</p>', excerpt)
    return paragraph
