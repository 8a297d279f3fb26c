from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Clients and cases")

    def ready(self) -> None:
        from cases import auskunft, closing_checklist, data_flows, retention
        from cases.views import applications, benefits, cases, contacts, follow_up, handover, imports, triage
        from jobcenter import navigation
        from jobcenter.authz import CASE_WORK

        auskunft.register_cases_parts()
        data_flows.register_data_kinds()
        retention.register_cases_policies()
        closing_checklist.register_cases_checks()
        for module in (triage, cases, contacts, benefits, applications, follow_up, handover, imports):
            module.register_extensions()
        navigation.register(
            navigation.NavItem(
                key="clients", label=_("Clients"), url_name="cases:client_list", icon="people", order=10,
                roles=CASE_WORK,
            ),
        )
