from django.urls import path

from . import views
from .opendata import feeds

app_name = "casestudies"

urlpatterns = [
    path("case-studies/", views.CaseStudyListView.as_view(), name="casestudy_list"),
    path("case-studies/export.csv", views.CaseStudyExportView.as_view(), name="casestudy_export"),
    path("case-studies/pack.pdf", views.CaseStudyPackView.as_view(), name="casestudy_pack"),
    path(
        "case-studies/<slug:slug>/",
        views.CaseStudyDetailView.as_view(),
        name="casestudy_detail",
    ),
    path(
        "case-studies/<slug:slug>/preview/",
        views.CaseStudyPreviewView.as_view(),
        name="casestudy_preview",
    ),
    # Old addresses of the network's previous site (case studies, and Policy Labs and projects),
    # with and without the trailing slash.
    path(
        "case-study/<slug:slug>",
        views.LegacyCaseStudyRedirectView.as_view(),
        name="casestudy_legacy_redirect",
    ),
    path("case-study/<slug:slug>/", views.LegacyCaseStudyRedirectView.as_view()),
    path(
        "project/<slug:slug>",
        views.LegacyCaseStudyRedirectView.as_view(),
        name="project_legacy_redirect",
    ),
    path("project/<slug:slug>/", views.LegacyCaseStudyRedirectView.as_view()),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    # Feeds: RSS 2.0 and Atom 1.0 of all case studies, and per principle, theme, organisation.
    path("feeds/case-studies.rss", feeds.CaseStudyFeed(), name="casestudy_feed_rss"),
    path("feeds/case-studies.atom", feeds.atom(feeds.CaseStudyFeed)(), name="casestudy_feed_atom"),
    path("feeds/principles/<slug:slug>.rss", feeds.PrincipleFeed(), name="principle_feed_rss"),
    path(
        "feeds/principles/<slug:slug>.atom",
        feeds.atom(feeds.PrincipleFeed)(),
        name="principle_feed_atom",
    ),
    path("feeds/themes/<slug:slug>.rss", feeds.ThemeFeed(), name="theme_feed_rss"),
    path("feeds/themes/<slug:slug>.atom", feeds.atom(feeds.ThemeFeed)(), name="theme_feed_atom"),
    path(
        "feeds/organisations/<slug:slug>.rss",
        feeds.OrganisationFeed(),
        name="organisation_feed_rss",
    ),
    path(
        "feeds/organisations/<slug:slug>.atom",
        feeds.atom(feeds.OrganisationFeed)(),
        name="organisation_feed_atom",
    ),
]
