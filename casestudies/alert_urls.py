"""Email alerts: /alerts/ (a member's alerts), subscribing to a list, confirming, unsubscribing."""

from django.urls import path

from .views import alerts

app_name = "alerts"

urlpatterns = [
    path("", alerts.alert_list, name="alert_list"),
    path("new/", alerts.alert_create, name="alert_create"),
    path("confirm/<str:token>/", alerts.alert_confirm, name="confirm"),
    path("unsubscribe/<str:token>/", alerts.alert_unsubscribe, name="unsubscribe"),
    path("<int:pk>/cancel/", alerts.alert_delete, name="alert_delete"),
    path("<int:pk>/frequency/", alerts.alert_frequency, name="alert_frequency"),
]
