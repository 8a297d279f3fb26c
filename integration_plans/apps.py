from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationPlansConfig(AppConfig):
    name = "integration_plans"
    verbose_name = _("Integration plans")

    def ready(self) -> None:
        from cases import client_page, retention
        from integration_plans import auskunft as plans_auskunft
        from integration_plans import follow_up
        from integration_plans import notices as plan_notices
        from integration_plans import retention as plans_retention
        from integration_plans.views import home as home_views
        from integration_plans.views.sections import client_plans_context
        from jobcenter import home, navigation
        from jobcenter.authz import PLAN_READ, PLAN_WRITE

        retention.register("integration_plans", plans_retention.POLICIES, after=plans_retention.delete_plan_documents)
        plans_auskunft.register_parts()
        plan_notices.register_sources()
        follow_up.register_checks()
        navigation.register(navigation.NavItem(
            key="integration_plans", label=_("Help plans"), url_name="integration_plans:plan_list",
            icon="journal-check", roles=PLAN_READ, order=30,
        ))
        client_page.register(client_page.ClientSection(
            key="integration_plans", title=_("Help plan / integration agreement"),
            template="integration_plans/_client_section.html", context=client_plans_context, order=30,
            roles=PLAN_READ,
        ))
        home.register(home.HomeSection(
            key="plans_approvals", template="integration_plans/_home_worklist.html",
            context=home_views.approval_section, roles=PLAN_READ, order=65,
        ))
        for order, worklist in enumerate(home_views.WORKLISTS.values()):
            home.register(home.HomeSection(
                key=f"plans_{worklist.key}", template="integration_plans/_home_worklist.html",
                context=home_views.section(worklist), roles=PLAN_WRITE, order=70 + order,
            ))
