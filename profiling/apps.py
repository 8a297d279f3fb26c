from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilingConfig(AppConfig):
    name = "profiling"
    verbose_name = _("Profiling")

    def ready(self) -> None:
        from cases import client_page, retention
        from jobcenter import home
        from jobcenter.authz import CASE_WORK, PROFILING_READ, STEERING
        from jobcenter.roles import Module
        from profiling import auskunft as profiling_auskunft
        from profiling import retention as profiling_retention
        from profiling.views import sections

        retention.register("profiling", profiling_retention.POLICIES, after=profiling_retention.delete_reports)
        profiling_auskunft.register_parts()

        client_page.register(client_page.ClientSection(
            key="profiling", title=_("Profiling"), template="profiling/_client_profiling.html",
            context=sections.client_profiling, order=40, roles=PROFILING_READ,
        ))
        client_page.register(client_page.ClientSection(
            key="social_history", title=_("Social history"), template="profiling/_client_social_history.html",
            context=sections.client_social_history, order=42, roles=CASE_WORK,
            module=Module.SOZIALANAMNESE,
        ))
        client_page.register(client_page.ClientSection(
            key="assessments", title=_("In-depth profiling / assessment"),
            template="profiling/_client_assessments.html", context=sections.client_assessments, order=44,
            roles=PROFILING_READ, module=Module.TIEFENPROFILING,
        ))
        home.register(home.HomeSection(
            key="profiling_open", template="profiling/_home_worklist.html", context=sections.profiling_worklist,
            roles=STEERING, order=40,
        ))
        home.register(home.HomeSection(
            key="social_history_open", template="profiling/_home_worklist.html",
            context=sections.social_history_worklist, roles=STEERING, order=45,
        ))
