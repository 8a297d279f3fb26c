"""Views of the profiling app, one module per area; the URLs are in ``profiling/urls.py`` and the registrations
(client-page sections, start-page worklists) in ``ProfilingConfig.ready``."""
