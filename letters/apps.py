from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from cases import client_page, retention
        from jobcenter import home, navigation, object_actions
        from jobcenter.authz import LETTERS, PLAN_WRITE, REFERRAL_MODULES
        from letters import auskunft as letters_auskunft
        from letters import retention as letters_retention
        from letters import sections

        retention.register("letters", letters_retention.POLICIES, after=letters_retention.delete_letter_documents)
        letters_auskunft.register_parts()
        navigation.register(navigation.NavItem(
            key="letters", label=_("Letters"), url_name="letters:invitations", icon="envelope-paper",
            roles=LETTERS, order=45,
        ))
        client_page.register(client_page.ClientSection(
            key="letters", title=_("Letters"), template="letters/_client_section.html",
            context=sections.client_letters_context, order=54, roles=LETTERS,
        ))
        home.register(home.HomeSection(
            key="letters_invitations", template="letters/_home_invitations.html",
            context=sections.home_invitations_context, roles=LETTERS, order=25,
        ))
        object_actions.register(object_actions.ObjectAction(
            key="letters_invitation", target="appointment", template="letters/_action_invitation.html",
            roles=LETTERS, order=10,
        ))
        object_actions.register(object_actions.ObjectAction(
            key="letters_hearing", target="hearing", template="letters/_action_hearing.html",
            roles=PLAN_WRITE, order=10, context=sections.hearing_letters_context,
        ))
        object_actions.register(object_actions.ObjectAction(
            key="letters_referral", target="referral", template="letters/_action_referral.html",
            roles=LETTERS, modules=REFERRAL_MODULES, order=10, context=sections.referral_letters_context,
        ))
