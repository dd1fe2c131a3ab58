from django.urls import path

from . import views

app_name = "principles"

urlpatterns = [
    path("", views.PrincipleListView.as_view(), name="principle_list"),
    path("coverage/", views.PrincipleCoverageView.as_view(), name="principle_coverage"),
    path("<slug:slug>/", views.PrincipleDetailView.as_view(), name="principle_detail"),
]
