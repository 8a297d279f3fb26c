"""Views of the cases app, one module per area. Importing this package registers navigation entries, start-page
sections and client-page sections (done once from ``CasesConfig.ready``)."""

from cases.views import applications, auskunft, benefits, cases, client_page, contacts, intake, triage  # noqa: F401
