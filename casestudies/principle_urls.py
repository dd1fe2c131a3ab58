"""The principles' pages, under the "principles" namespace. They list case studies, so their
views live with the case studies' (the principles app imports nothing of this one)."""

from django.urls import path

from . import views

app_name = "principles"

urlpatterns = [
    path("", views.PrincipleListView.as_view(), name="principle_list"),
    path("coverage/", views.PrincipleCoverageView.as_view(), name="principle_coverage"),
    path("<slug:slug>/", views.PrincipleDetailView.as_view(), name="principle_detail"),
]
