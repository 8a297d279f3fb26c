"""Who may do what in the profiling app (everything is further limited to the user's own contact points).

The role sets are ``jobcenter.authz``'s; this module only says how the profiling app uses them.

    read profilings, their category and proposals ......... ``PROFILING_READ``: Fallmanager, Arbeitsvermittler,
        Teamleitung (the placement officer needs strengths and obstacles to propose vacancies; reception and
        benefits officers do not see profilings)
    record profilings, set the category ..................... ``STEERING``: Fallmanager, Teamleitung
    see that a Sozialanamnese / an assessment exists ........ ``CASE_WORK``: every case role (the client-page
                                                              section says so)
    read and write the Sozialanamnese, commission an
    assessment, read its content and report ................. the case's assigned case manager and the
                                                              Teamleitung (``can_see_sensitive``, the one rule
                                                              in ``cases.need_to_know``)
    ratings and notes on health, debts and addiction ........ as the Sozialanamnese; others see that the area was
                                                              rated, and "vertraulich" instead of the value

Every reading of sensitive content is recorded (``profiling.services.access.record_read``, into the project access log).
"""

from __future__ import annotations

from cases.need_to_know import can_see_sensitive

__all__ = ["can_see_sensitive"]
