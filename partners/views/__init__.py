"""Views of the partners app, one module per area; the URLs are in ``partners/urls.py`` and the registrations
(navigation, start page, client page) in ``PartnersConfig.ready``."""
