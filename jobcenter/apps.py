from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcenterConfig(AppConfig):
    name = "jobcenter"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from jobcenter import navigation
        from jobcenter.authz import COOPERATION
        from jobcenter.roles import Role

        navigation.register(
            navigation.NavItem(key="home", label=_("Start"), url_name="home", icon="house", order=0),
            navigation.NavItem(
                key="agreements", label=_("Cooperation"), url_name="agreement_list", icon="people-fill",
                roles=COOPERATION, order=900,
            ),
            navigation.NavItem(
                key="admin", label=_("Administration"), url_name="admin:index", icon="gear",
                roles=frozenset({Role.ADMINISTRATOR}), order=1000,
            ),
        )
