"""Views of the cases app, one module per area. Importing this package registers navigation entries, start-page
sections and client-page sections (done once from ``CasesConfig.ready``)."""

from cases.views import (  # noqa: F401
    applications,
    auskunft,
    benefits,
    cases,
    client_page,
    contacts,
    follow_up,
    intake,
    triage,
)
