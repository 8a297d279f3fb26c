from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        import cases.views  # noqa: F401  (registers navigation, start-page and client-page sections)
        from jobcenter import navigation
        from jobcenter.authz import CASE_WORK

        navigation.register(
            navigation.NavItem(
                key="clients", label=_("Clients"), url_name="cases:client_list", icon="people", order=10,
                roles=CASE_WORK,
            ),
        )
