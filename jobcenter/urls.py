from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jobcenter import views
from jobcenter.cooperation import views as cooperation_views

admin.site.site_header = "Anlaufstelle"
admin.site.site_title = "Anlaufstelle"

urlpatterns = [
    path("", views.home, name="home"),
    path("anmelden/", views.StaffLoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("ueberall-abmelden/", views.logout_everywhere, name="logout_everywhere"),
    path("sprache/", views.set_language, name="set_language"),
    path("anlaufstelle/", views.switch_office, name="switch_office"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    *cooperation_views.urlpatterns,
    path("", include("notifications.urls")),
    path("", include("cases.urls")),
    path("", include("partners.urls")),
    path("", include("reporting.urls")),
    path("", include("profiling.urls")),
    path("", include("integration_plans.urls")),
    path("", include("letters.urls")),
    path("admin/", admin.site.urls),
]
