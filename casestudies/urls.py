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
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
]
