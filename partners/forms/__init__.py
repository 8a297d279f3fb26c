"""Forms of the partners app: they clean and validate input; the services decide and write."""

from partners.forms.common import FilterForm
from partners.forms.referrals import FeedbackForm, ReferralFilterForm, ReferralForm, StatusForm
from partners.forms.registry import BoardFilterForm, ImportForm, OfferForm, PartnerFilterForm, PartnerForm
from partners.forms.vacancies import EmployerContactForm, ProposalResultForm, VacancyFilterForm, VacancyForm

__all__ = [
    "BoardFilterForm", "EmployerContactForm", "FeedbackForm", "FilterForm", "ImportForm", "OfferForm",
    "PartnerFilterForm", "PartnerForm", "ProposalResultForm", "ReferralFilterForm", "ReferralForm", "StatusForm",
    "VacancyFilterForm", "VacancyForm",
]
