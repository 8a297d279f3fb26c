from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from jobcenter import navigation
        from jobcenter.authz import REPORTING

        navigation.register(
            navigation.NavItem(key="reporting", label=_("Success measurement"), url_name="reporting:dashboard",
                               icon="graph-up", roles=REPORTING, order=80),
        )
