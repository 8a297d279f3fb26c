from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("benachrichtigungen/", views.inbox, name="inbox"),
    path("benachrichtigungen/oeffnen/", views.open_notification, name="open"),
    path("benachrichtigungen/gelesen/", views.mark_read, name="mark_read"),
    path("benachrichtigungen/alle-gelesen/", views.mark_all_read, name="mark_all_read"),
]
