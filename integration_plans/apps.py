from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationPlansConfig(AppConfig):
    name = "integration_plans"
    verbose_name = _("Integration plans")
