"""Members' pages (casestudies/views/members.py); allauth's are under /accounts/."""

from django.urls import path

from .views import members

app_name = "members"

urlpatterns = [
    path("join/", members.join, name="join"),
    path("invitation/<str:token>/", members.invitation, name="invitation"),
    path("account/", members.account, name="account"),
    path("account/delete/", members.delete_account, name="delete_account"),
    path("save/<slug:slug>/", members.save_case_study, name="save"),
    path("ask/case-study/<slug:slug>/", members.ask_case_study, name="ask_case_study"),
    path("ask/organisation/<slug:slug>/", members.ask_organisation, name="ask_organisation"),
]
