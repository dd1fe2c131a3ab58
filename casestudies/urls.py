from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("case-studies/", views.CaseStudyListView.as_view(), name="casestudy_list"),
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
    # Old addresses of the network's previous site, with and without the trailing slash.
    path(
        "case-study/<slug:slug>",
        views.LegacyCaseStudyRedirectView.as_view(),
        name="casestudy_legacy_redirect",
    ),
    path("case-study/<slug:slug>/", views.LegacyCaseStudyRedirectView.as_view()),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
]
