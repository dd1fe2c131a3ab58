"""sitemap.xml: every public page (published case studies only)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from principles.models import Principle

from ..models import CaseStudy, Organisation, Theme


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return [
            "home",
            "casestudies:casestudy_list",
            "principles:principle_list",
            "principles:principle_coverage",
            "casestudies:organisation_list",
            "api:docs",
        ]

    def location(self, item):
        return reverse(item)


class CaseStudySitemap(Sitemap):
    changefreq = "monthly"
    limit = 10000

    def items(self):
        return CaseStudy.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PrincipleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Principle.objects.all()


class OrganisationSitemap(Sitemap):
    """Organisations with a public page: network members, and those in published work."""

    changefreq = "weekly"

    def items(self):
        return Organisation.objects.public().order_by("pk")


class ThemeSitemap(Sitemap):
    """The case study list for each theme that has published case studies."""

    changefreq = "weekly"

    def items(self):
        return Theme.objects.public().order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "case-studies": CaseStudySitemap,
    "principles": PrincipleSitemap,
    "organisations": OrganisationSitemap,
    "themes": ThemeSitemap,
}
