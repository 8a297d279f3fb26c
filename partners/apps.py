from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from cases import client_page, retention
        from jobcenter import home, navigation
        from jobcenter.authz import ALL_STAFF, EMPLOYER_SERVICE, REFERRING
        from partners import auskunft as partners_auskunft
        from partners import follow_up
        from partners import retention as partners_retention
        from partners.rules import VACANCY_MODULE
        from partners.views import home as home_views
        from partners.views.referrals import client_disclosure_context, client_referral_context
        from partners.views.vacancies import client_proposal_context

        partners_auskunft.register_parts()
        follow_up.register_checks()
        retention.register("partners", partners_retention.POLICIES)
        navigation.register(
            navigation.NavItem(key="partners", label=_("Partners"), url_name="partners:partner_list",
                               icon="diagram-3", roles=ALL_STAFF, order=40),
            navigation.NavItem(key="vacancies", label=_("Vacancies"), url_name="partners:vacancy_list",
                               icon="briefcase", roles=REFERRING, module=VACANCY_MODULE, order=42),
        )
        client_page.register(client_page.ClientSection(
            key="referrals", title=_("Referrals to partners"), template="partners/_client_referrals.html",
            context=client_referral_context, order=50, roles=REFERRING,
        ))
        client_page.register(client_page.ClientSection(
            key="proposals", title=_("Placement proposals"), template="partners/_client_proposals.html",
            context=client_proposal_context, order=52, roles=REFERRING, module=VACANCY_MODULE,
        ))
        client_page.register(client_page.ClientSection(
            key="disclosures", title=_("Releases and disclosure log"), template="partners/_client_disclosures.html",
            context=client_disclosure_context, order=80, roles=REFERRING,
        ))
        home.register(home.HomeSection(
            key="partners_overdue_referrals", template="partners/_home_worklist.html",
            context=home_views.overdue_referrals, roles=REFERRING, order=60,
        ))
        home.register(home.HomeSection(
            key="partners_vacancies_without_proposals", template="partners/_home_worklist.html",
            context=home_views.vacancies_without_proposals, roles=EMPLOYER_SERVICE, order=65,
        ))
