"""Who may do what in the profiling app (everything is further limited to the user's own contact points).

    read profilings, their category and proposals ......... Fallmanager, Arbeitsvermittler, Teamleitung
        (the placement officer needs strengths and obstacles to propose vacancies; reception and benefits
        officers do not see profilings)
    record profilings, set the category ..................... Fallmanager, Teamleitung
    see that a Sozialanamnese / an assessment exists ........ every case role (the client-page section says so)
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
from jobcenter.roles import Role

__all__ = ["CASE_ROLES", "READ_ROLES", "WRITE_ROLES", "can_see_sensitive"]

READ_ROLES = (Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.TEAMLEITUNG)
WRITE_ROLES = (Role.FALLMANAGER, Role.TEAMLEITUNG)
CASE_ROLES = tuple(sorted(set(Role.values) - {Role.ADMINISTRATOR}))
