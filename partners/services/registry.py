"""Writes of the partner registry: partners, their offers, and the all-or-nothing CSV import.

Every function is keyword-only, runs in one transaction and raises ``PartnerError`` (translated) on a broken
rule. ``partner_problems`` lists every broken rule of one partner record; the forms show the first per field,
the CSV import reports all of them with their row numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pghistory
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from jobcenter.models import Agency, ContactPoint
from partners import selectors
from partners.errors import PartnerError
from partners.models import GROUP_OF_KIND, SERVICE_KINDS, Offer, Partner, PartnerGroup, PartnerKind

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser as User


@dataclass(frozen=True)
class PartnerData:
    """The editable fields of a partner, as the form or a CSV row delivers them."""

    name: str
    kind: str
    contact_person: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    notes: str = ""
    active: bool = True
    contract_agency: Agency | None = None
    contract_from: date | None = None
    contract_until: date | None = None

    def normalised(self) -> PartnerData:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, value in values.items():
            if isinstance(value, str):
                values[key] = " ".join(value.split()) if key != "notes" else value.strip()
        return PartnerData(**values)


@dataclass(frozen=True)
class Problem:
    field: str | None
    message: str


def partner_problems(
    *, office: ContactPoint, data: PartnerData, partner: Partner | None = None, check_name: bool = True
) -> list[Problem]:
    """Every rule one partner record breaks (empty: fine). ``partner`` is the record being edited;
    ``check_name=False`` skips the uniqueness query (the import matches existing partners by name)."""
    problems: list[Problem] = []
    if not data.name:
        problems.append(Problem("name", _("A partner needs a name.")))
    for item in fields(data):
        value, field = getattr(data, item.name), Partner._meta.get_field(item.name)
        if (isinstance(field, models.Field) and isinstance(value, str) and field.max_length
                and len(value) > field.max_length):
            problems.append(Problem(item.name, _("“%(field)s” is longer than %(limit)s characters.")
                                    % {"field": field.verbose_name, "limit": field.max_length}))
    if data.kind not in PartnerKind.values:
        problems.append(Problem("kind", _("Unknown kind of partner.")))
    if data.postal_code and not (len(data.postal_code) == 5 and data.postal_code.isdigit()):
        problems.append(Problem("postal_code", _("A postal code has exactly 5 digits.")))
    if data.email:
        try:
            validate_email(data.email)
        except ValidationError:
            problems.append(Problem("email", _("Enter a valid e-mail address.")))
    if data.website:
        try:
            URLValidator()(data.website)
        except ValidationError:
            problems.append(Problem("website", _("Enter a valid web address starting with http:// or https://.")))
    problems += _contract_problems(office, data)
    if check_name and data.name and _name_taken(office, data.name, partner):
        problems.append(Problem("name", _("This contact point already has a partner named “%(name)s”.")
                                % {"name": data.name}))
    if partner is not None and data.kind in PartnerKind.values:
        problems += _kind_change_problems(partner, data.kind)
    return problems


def _contract_problems(office: ContactPoint, data: PartnerData) -> list[Problem]:
    problems = []
    if data.contract_agency is not None:
        if data.contract_agency.pk not in (office.employment_agency_id, office.welfare_agency_id):
            problems.append(Problem("contract_agency", _("The contract must be with one of the two agencies of "
                                                         "this contact point.")))
        if data.contract_from is None:
            problems.append(Problem("contract_from", _("A contract needs a start date.")))
    elif data.contract_from or data.contract_until:
        problems.append(Problem("contract_agency", _("Name the agency that commissioned the partner.")))
    if data.contract_from and data.contract_until and data.contract_until < data.contract_from:
        problems.append(Problem("contract_until", _("The contract cannot end before it starts.")))
    if data.contract_agency is not None and data.kind in PartnerKind.values and (
        GROUP_OF_KIND[data.kind] == PartnerGroup.LABOUR_MARKET
    ):
        problems.append(Problem("contract_agency", _("Labour-market partners are not commissioned; leave the "
                                                     "contract empty.")))
    return problems


def _name_taken(office: ContactPoint, name: str, partner: Partner | None) -> bool:
    others = Partner.objects.annotate(lower_name=Lower("name")).filter(contact_point=office, lower_name=name.lower())
    if partner is not None:
        others = others.exclude(pk=partner.pk)
    return others.exists()


def _kind_change_problems(partner: Partner, kind: str) -> list[Problem]:
    if kind == partner.kind:
        return []
    if GROUP_OF_KIND[kind] == PartnerGroup.LABOUR_MARKET and partner.offers.exists():
        return [Problem("kind", _("This partner has offers; a labour-market partner cannot have offers."))]
    if partner.kind == PartnerKind.EMPLOYER and kind != PartnerKind.EMPLOYER and partner.vacancies.exists():
        return [Problem("kind", _("This employer has vacancies; the kind cannot be changed."))]
    return []


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise PartnerError(problems[0].message, field=problems[0].field)


def _apply(partner: Partner, data: PartnerData) -> None:
    for item in fields(data):
        setattr(partner, item.name, getattr(data, item.name))


@transaction.atomic
def create_partner(*, office: ContactPoint, data: PartnerData, by: User) -> Partner:
    data = data.normalised()
    _raise_first(partner_problems(office=office, data=data))
    partner = Partner(contact_point=office)
    _apply(partner, data)
    with pghistory.context(user=by.pk):
        try:
            with transaction.atomic():
                partner.save()
        except IntegrityError as error:  # a concurrent insert of the same name
            raise PartnerError(_("This contact point already has a partner named “%(name)s”.")
                               % {"name": data.name}, field="name") from error
    return partner


@transaction.atomic
def update_partner(*, partner: Partner, data: PartnerData, by: User) -> Partner:
    locked = Partner.objects.select_for_update().select_related("contact_point").get(pk=partner.pk)
    data = data.normalised()
    _raise_first(partner_problems(office=locked.contact_point, data=data, partner=locked))
    _apply(locked, data)
    with pghistory.context(user=by.pk):
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as error:
            raise PartnerError(_("This contact point already has a partner named “%(name)s”.")
                               % {"name": data.name}, field="name") from error
    return locked


# --- offers -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfferData:
    title: str
    category: str
    places: int
    cost_per_month: Decimal
    commissionable_by: list[str]
    valid_from: date
    valid_until: date | None = None
    description: str = ""
    active: bool = True


def _check_offer(partner: Partner, data: OfferData) -> None:
    if GROUP_OF_KIND[partner.kind] == PartnerGroup.LABOUR_MARKET:
        raise PartnerError(_("Labour-market partners have no offers; record vacancies instead."))
    if not data.title.strip():
        raise PartnerError(_("An offer needs a title."), field="title")
    if data.category not in SERVICE_KINDS:
        raise PartnerError(_("Choose the category of the service."), field="category")
    if data.places < 1:
        raise PartnerError(_("An offer has at least one place."), field="places")
    if data.cost_per_month < 0:
        raise PartnerError(_("The cost cannot be negative."), field="cost_per_month")
    if not data.commissionable_by or set(data.commissionable_by) - set(Agency.Kind.values):
        raise PartnerError(_("Choose at least one agency that may commission the offer."),
                           field="commissionable_by")
    if data.valid_until and data.valid_until < data.valid_from:
        raise PartnerError(_("The offer cannot end before it starts."), field="valid_until")


def _apply_offer(offer: Offer, data: OfferData) -> None:
    for item in fields(data):
        setattr(offer, item.name, getattr(data, item.name))
    offer.title = data.title.strip()
    offer.commissionable_by = sorted(set(data.commissionable_by))


@transaction.atomic
def create_offer(*, partner: Partner, data: OfferData, by: User) -> Offer:
    _check_offer(partner, data)
    offer = Offer(partner=partner)
    _apply_offer(offer, data)
    with pghistory.context(user=by.pk):
        offer.save()
    return offer


@transaction.atomic
def update_offer(*, offer: Offer, data: OfferData, by: User) -> Offer:
    """Places may only shrink down to the places already taken (the offer row is locked meanwhile)."""
    locked = Offer.objects.select_for_update().select_related("partner").get(pk=offer.pk)
    _check_offer(locked.partner, data)
    taken = selectors.taken_places(locked.pk)
    if data.places < taken:
        raise PartnerError(
            _("%(taken)s places are taken; the offer cannot have fewer places.") % {"taken": taken}, field="places"
        )
    _apply_offer(locked, data)
    with pghistory.context(user=by.pk):
        locked.save()
    return locked


# --- CSV import ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    row: int  # the line number in the file (the header is line 1)
    message: str


class ImportRefused(PartnerError):
    """The import found bad rows; nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(_("Nothing was imported: %(count)s rows have errors.") % {"count": len(errors)})
        self.errors = errors


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


@transaction.atomic
def import_partners(
    *, office: ContactPoint, rows: list[tuple[int, PartnerData]], by: User, parse_errors: list[RowError] | None = None
) -> ImportSummary:
    """Create or update (matched by name, ignoring case) every row, or nothing at all.

    ``parse_errors`` are errors the CSV reader already found (unknown kind, bad date); they are reported
    together with the rule errors, so one attempt lists every bad row."""
    errors = list(parse_errors or [])
    existing = {p.name.lower(): p for p in Partner.objects.select_for_update().filter(contact_point=office)}
    seen: dict[str, int] = {}
    prepared: list[tuple[Partner | None, PartnerData]] = []
    for line, raw in rows:
        data = raw.normalised()
        key = data.name.lower()
        if key and key in seen:
            errors.append(RowError(line, _("“%(name)s” already appears in row %(row)s.")
                                   % {"name": data.name, "row": seen[key]}))
            continue
        seen[key] = line
        partner = existing.get(key)
        problems = partner_problems(office=office, data=data, partner=partner, check_name=False)
        errors += [RowError(line, problem.message) for problem in problems]
        prepared.append((partner, data))
    if not rows and not errors:
        raise PartnerError(_("The file contains no partners."))
    if errors:
        raise ImportRefused(sorted(errors, key=lambda error: error.row))
    created = updated = 0
    with pghistory.context(user=by.pk, source="partner_import"):
        for partner, data in prepared:
            if partner is None:
                partner = Partner(contact_point=office)
                created += 1
            else:
                updated += 1
            _apply(partner, data)
            partner.save()
    return ImportSummary(created=created, updated=updated)
