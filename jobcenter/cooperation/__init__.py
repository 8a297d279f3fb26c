"""Cooperation agreements in the app (docs/domain.md §3a): Teamleitung and administrators list, create and end the
agreements between agencies whose districts overlap. ``selectors`` scopes them (a user sees the agreements one of
whose parties is an agency of one of their contact points) and finds the agreement that covers a hand-over;
``services`` writes them (never deletes: ending sets ``valid_until``). The hand-over itself lives in the cases app
(``cases.services.handover``), which may import this package; this package imports no other app."""
