from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The in-app inbox: notices to one staff member about something that happened (docs/architecture.md §1).

    At the bottom of the dependency graph beside ``jobcenter``: the services of every app create notifications,
    so this app imports only ``jobcenter``. Its Auskunft part and retention policy are registered by ``cases``
    (the app that holds those registries), like the access log's."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from jobcenter import navigation
        from jobcenter.authz import CASE_WORK
        from notifications.selectors import unread_badge

        navigation.register(
            navigation.NavItem(key="notifications", label=_("Notifications"), url_name="notifications:inbox",
                               icon="bell", roles=CASE_WORK, order=90, badge=unread_badge),
        )
