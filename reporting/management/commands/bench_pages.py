"""Benchmark every work page on a city seeded by ``seed_city_bench`` (issue 13): for each page and each role that
uses it, the in-process median time of the page (Django test client, warm), the median SQL time of its queries
(every statement of the request, timed with ``connection.execute_wrapper``), the number of queries, and the same
figures for two trivial authenticated pages and for Django admin's client changelist, measured in the same run.

Not a test: it prints a Markdown table and flags every page that misses the issue's targets (SQL p50 ≤ 10 ms, page
p50 ≤ 50 ms, a list ≤ 0.5 × the admin changelist on the same data; the dashboard ≤ 250 ms). Every page must answer
200 before it is timed: any other status (or an exception) is an error row, and the command fails at the end.

Pages and URLs are derived from the code: the URL names by ``reverse``, the roles from ``jobcenter.authz.MATRIX``,
the sorts and filters from the filter forms of the lists, the "Mein Tag", worklist and drill-down slugs from their
registries. Every role opens the default view of every page it may use; the sorts, filters and searches are
measured for the Teamleitung (the whole office) and, on the case list, for a case manager (their own cases).

Use production settings (``DJANGO_DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, collected static files):

    DATABASE_URL=postgresql://…/anl_bench_city DJANGO_DEBUG=0 SECRET_KEY=bench ALLOWED_HOSTS=localhost \\
        python manage.py bench_pages [--office 1] [--repeat 5] [--output /tmp/pages.md] [--compare other.md]
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.test import Client as TestClient
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, Client, ContactNote
from jobcenter.authz import MATRIX
from jobcenter.models import ContactPoint
from jobcenter.roles import Role
from reporting.management.commands.bench_reporting import sql_timer
from reporting.management.commands.seed_city_bench import (
    ADMIN_USERNAME,
    FIRST_NAMES,
    LAST_NAMES,
    city_offices,
    office_index,
    staff_username,
)

# Targets of issue 13 (milliseconds; the ratio is page p50 ÷ admin changelist p50).
PAGE_TARGET_MS = 50.0
SQL_TARGET_MS = 10.0
LIST_RATIO_TARGET = 0.5
DASHBOARD_TARGET_MS = 250.0
SCALE_RATIO_TARGET = 1.5

ROLE_USERS: dict[str, str] = {  # role → the user name stem of seed_city_bench
    Role.EMPFANG: "empfang", Role.FALLMANAGER: "fallmanager", Role.ARBEITSVERMITTLER: "vermittler",
    Role.LEISTUNG: "leistung", Role.TEAMLEITUNG: "teamleitung",
}
ROLE_LABELS: dict[str, str] = {Role.EMPFANG: "Empfang", Role.FALLMANAGER: "Fallmanager", Role.ARBEITSVERMITTLER: "Vermittler",
               Role.LEISTUNG: "Leistung", Role.TEAMLEITUNG: "Teamleitung", Role.ADMINISTRATOR: "Admin"}
ADMIN_REFERENCE = "admin client changelist (this office)"  # the yardstick of the ratios: the same data
MAX_CHOICES = 8  # values of one filter measured (the first ones after the default)


@dataclass
class Page:
    label: str  # stable across databases (no ids): the key for --compare
    url: str
    roles: list[str]
    kind: str = "page"  # page | list | dashboard | trivial | admin


@dataclass
class Result:
    page: Page
    role: str
    page_ms: float = 0.0
    sql_ms: float = 0.0
    queries: int = 0
    error: str = ""
    misses: list[str] = field(default_factory=list)


def choice_values(field: forms.Field) -> list[str]:
    """The values a select offers (option groups flattened)."""
    values: list[str] = []
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):
            values += [str(inner) for inner, _ in label]
        else:
            values.append(str(value))
    return values


def form_variants(form: forms.Form, defaults: dict[str, Any], skip: tuple[str, ...] = ()) -> list[tuple[str, dict[str, str]]]:
    """Each sort the list offers (its ``sort`` field) and each filter value (selects: up to ``MAX_CHOICES``
    values besides the default; check boxes: on). Search boxes are measured separately."""
    variants: list[tuple[str, dict[str, str]]] = []
    for name, form_field in form.fields.items():
        if name in ("q", "client", "page", *skip):
            continue
        default = "" if defaults.get(name) in (None, False) else str(defaults.get(name))
        if isinstance(form_field, forms.BooleanField):
            variants.append((f"{name}=on", {name: "on"}))
        elif isinstance(form_field, forms.ChoiceField):
            values = [value for value in choice_values(form_field) if value != default]
            if name != "sort":
                values = [value for value in values if value][:MAX_CHOICES]
            variants += [(f"{name}={value or '(all)'}", {name: value}) for value in values]
    return variants


class Command(BaseCommand):
    help = "Benchmark every work page on the city seeded by seed_city_bench (prints Markdown)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--office", type=int, help="office number N (staff bench-oN-…); default: the largest")
        parser.add_argument("--repeat", type=int, default=5, help="timed requests per page and role (median)")
        parser.add_argument("--warmup", type=int, default=1, help="untimed requests before timing")
        parser.add_argument("--output", help="also write the Markdown to this file")
        parser.add_argument("--only", help="only pages whose label contains this text")
        parser.add_argument("--compare", help="an earlier output (e.g. at --scale 0.1): adds page p50 ÷ that run's")

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_setup()
        office = self._office(options["office"])
        repeat, warmup = max(1, options["repeat"]), max(0, options["warmup"])
        started = time.monotonic()
        load_before = os.getloadavg()
        context = self._context(office)
        pages = self._pages(office, context)
        if options["only"]:
            pages = [page for page in pages if options["only"] in page.label or page.kind in ("admin", "trivial")]
        clients = {role: self._client(username) for role, username in context["users"].items()}
        results = []
        for page in pages:
            for role in page.roles:
                results.append(self._measure(clients[role], page, role, repeat, warmup))
                self.stderr.write(f"{page.label} · {ROLE_LABELS.get(role, role)}: "
                                  f"{results[-1].error or f'{results[-1].page_ms:.1f} ms'}")
        admin = next((r for r in results if r.page.label == ADMIN_REFERENCE and not r.error), None)
        compare = self._read_compare(options["compare"]) if options["compare"] else None
        for result in results:
            self._judge(result, admin, compare)
        text = self._report(office, context, results, admin, compare, repeat, warmup, load_before,
                            time.monotonic() - started)
        self.stdout.write(text)
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
        errors = [result for result in results if result.error]
        if errors:
            raise CommandError(f"{len(errors)} page(s) did not answer 200: "
                               + "; ".join(f"{e.page.label} ({ROLE_LABELS.get(e.role, e.role)}): {e.error}"
                                           for e in errors[:10]))

    # --- set-up -------------------------------------------------------------------------------------------
    def _check_setup(self) -> None:
        if hasattr(staticfiles_storage, "manifest_name") and not staticfiles_storage.exists(
                staticfiles_storage.manifest_name):
            raise CommandError("production settings need the static files collected first: "
                               "python manage.py collectstatic --noinput")

    def _host(self) -> str:
        hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
        return hosts[0] if hosts else "localhost"

    def _client(self, username: str) -> TestClient:
        """A test client with a real session of ``username`` (in the session store), over HTTPS behind a proxy that
        says so (production settings redirect plain HTTP)."""
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}: run seed_city_bench first")
        client = TestClient(secure=True, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST=self._host(),
                            raise_request_exception=True)
        client.force_login(user)
        return client

    def _office(self, number: int | None) -> ContactPoint:
        offices = city_offices()
        if not offices:
            raise CommandError("no office of seed_city_bench in this database: run seed_city_bench first")
        if number is not None:
            chosen = [office for office in offices if office_index(office) == number]
            if not chosen:
                raise CommandError(f"no office number {number}: there are {len(offices)}")
            return chosen[0]
        sizes = dict(Client.objects.filter(contact_point__in=offices).values("contact_point")
                     .annotate(n=Count("id")).values_list("contact_point", "n"))
        return max(offices, key=lambda office: (sizes.get(office.pk, 0), -office_index(office)))

    def _context(self, office: ContactPoint) -> dict[str, Any]:
        """The users and the sample objects the URLs point at, taken from the office's data: a client of the first
        case manager with an open case in implementation that has plans and referrals (a full client page)."""
        index = office_index(office)
        users = {role: staff_username(index, stem, 1 if role == Role.FALLMANAGER else None)
                 for role, stem in ROLE_USERS.items()}
        users[Role.ADMINISTRATOR] = ADMIN_USERNAME
        manager = get_user_model().objects.get(username=users[Role.FALLMANAGER])
        from integration_plans.models import IntegrationPlan
        from partners.models import Partner, Referral, Vacancy, VacancyStatus

        cases = Case.objects.filter(contact_point=office, case_manager=manager)
        case = (cases.filter(status=CaseStatus.IMPLEMENTATION)
                .filter(Exists(IntegrationPlan.objects.filter(case=OuterRef("pk"))),
                        Exists(Referral.objects.filter(case=OuterRef("pk"))),
                        Exists(ContactNote.objects.filter(case=OuterRef("pk"))))
                .order_by("pk").first()) or cases.exclude(status=CaseStatus.CLOSED).order_by("pk").first()
        if case is None:
            raise CommandError(f"{office}: no open case of {manager.username}")
        client = case.client
        numbered = (client if client.customer_number else
                    Client.objects.filter(contact_point=office).exclude(customer_number="").order_by("pk").first())
        filed = Client.objects.filter(contact_point=office).exclude(file_number="").order_by("pk").first()
        plan = IntegrationPlan.objects.filter(case=case).order_by("-version").first()
        vacancy = (Vacancy.objects.filter(employer__contact_point=office, status=VacancyStatus.OPEN)
                   .annotate(n=Count("proposals")).order_by("-n", "pk").first())
        partner = Partner.objects.filter(contact_point=office, offers__isnull=False).order_by("pk").first()
        return {"users": users, "manager": manager, "case": case, "client": client, "plan": plan,
                "vacancy": vacancy, "partner": partner,
                "search_name": f"{LAST_NAMES[0]} {FIRST_NAMES[0]}", "search_last_name": LAST_NAMES[0],
                "search_number": numbered.customer_number if numbered else "",
                "search_file_number": filed.file_number if filed else "",
                "search_birth_date": f"{client.birth_date:%d.%m.%Y}"}

    # --- the pages ----------------------------------------------------------------------------------------
    def _roles(self, url_name: str) -> list[str]:
        """The roles that may open the URL (``jobcenter.authz.MATRIX``), in a fixed order; the IT administrator
        only where the entry names it (no client data)."""
        access = MATRIX[url_name]
        order: list[str] = [Role.EMPFANG, Role.FALLMANAGER, Role.ARBEITSVERMITTLER, Role.LEISTUNG, Role.TEAMLEITUNG,
                 Role.ADMINISTRATOR]
        return [role for role in order if role in access.roles]

    def _variant_roles(self, url_name: str, *, manager: bool = False) -> list[str]:
        roles = self._roles(url_name)
        wanted: list[str] = [Role.TEAMLEITUNG, Role.FALLMANAGER] if manager else [Role.TEAMLEITUNG]
        chosen = [role for role in wanted if role in roles]
        return chosen or roles[:1]

    def _pages(self, office: ContactPoint, c: dict[str, Any]) -> list[Page]:
        from cases.forms.applications import WorklistFilterForm
        from cases.forms.cases import CaseFilterForm
        from cases.selectors import MANAGER_FILTER_ALL, MANAGER_FILTER_MINE, MANAGER_FILTER_NONE
        from cases.views.contacts import MY_DAY_LISTS
        from integration_plans.forms import PlanFilterForm
        from integration_plans.views.home import WORKLISTS
        from partners.forms import BoardFilterForm, ReferralFilterForm
        from partners.forms.registry import PartnerFilterForm
        from partners.forms.vacancies import VacancyFilterForm
        from reporting.drilldown import DRILLS

        pages: list[Page] = []

        def add(label: str, url_name: str, *, kwargs: dict[str, Any] | None = None, query: dict[str, str] | None = None,
                kind: str = "page", roles: list[str] | None = None) -> None:
            url = reverse(url_name, kwargs=kwargs)
            if query:
                url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
            pages.append(Page(label, url, roles if roles is not None else self._roles(url_name), kind))

        def lists(label: str, url_name: str, form: forms.Form, defaults: dict[str, Any], *, manager: bool = False,
                  searches: tuple[str, ...] = ("search_name",), skip: tuple[str, ...] = ()) -> None:
            add(label, url_name, kind="list")
            variant_roles = self._variant_roles(url_name, manager=manager)
            for variant, query in form_variants(form, defaults, skip):
                add(f"{label} · {variant}", url_name, query=query, kind="list", roles=variant_roles)
            for search in searches:
                if c[search]:
                    add(f"{label} · {search.replace('_', ' ')}", url_name, query={"q": quote(c[search])}, kind="list",
                        roles=variant_roles)

        add("start page", "home")
        case_defaults = {**CaseFilterForm.DEFAULTS, "manager": MANAGER_FILTER_ALL}
        case_form = CaseFilterForm(managers=[c["manager"]], action="", defaults=case_defaults)
        lists("case list", "cases:case_list", case_form, case_defaults, manager=True, skip=("manager",),
              searches=("search_name", "search_last_name", "search_number", "search_file_number",
                        "search_birth_date"))
        for label, value in (("mine", MANAGER_FILTER_MINE), ("none", MANAGER_FILTER_NONE),
                             ("one case manager", str(c["manager"].pk)), ("all", MANAGER_FILTER_ALL)):
            add(f"case list · manager={label}", "cases:case_list", query={"manager": value}, kind="list",
                roles=self._variant_roles("cases:case_list", manager=True))
        add("client list", "cases:client_list", kind="list")
        for search in ("search_name", "search_last_name", "search_number", "search_file_number", "search_birth_date"):
            add(f"client list · {search.replace('_', ' ')}", "cases:client_list", query={"q": quote(c[search])},
                kind="list", roles=self._variant_roles("cases:client_list") + [Role.EMPFANG])
        add("reception search", "cases:triage", kind="list")
        for search in ("search_name", "search_number"):
            add(f"reception search · {search.replace('_', ' ')}", "cases:triage", query={"q": quote(c[search])},
                kind="list")
        add("client page", "cases:client_detail", kwargs={"pk": c["client"].pk})
        add("case page", "cases:case_detail", kwargs={"pk": c["case"].pk})
        add("timeline", "cases:client_timeline", kwargs={"pk": c["client"].pk})
        for slug in MY_DAY_LISTS:
            add(f"Mein Tag · {slug}", "cases:my_day_list", kwargs={"slug": slug}, kind="list")
        for slug in ("profiling", "sozialanamnese"):
            add(f"worklist · {slug}", "profiling:worklist", kwargs={"slug": slug}, kind="list")
        lists("plans list", "integration_plans:plan_list", PlanFilterForm(), PlanFilterForm.DEFAULTS)
        for slug in WORKLISTS:
            add(f"plan worklist · {slug}", "integration_plans:worklist", kwargs={"slug": slug}, kind="list")
        if c["plan"] is not None:
            add("plan page", "integration_plans:plan_detail", kwargs={"pk": c["plan"].pk})
        lists("referrals", "partners:referral_list", ReferralFilterForm(), ReferralFilterForm.DEFAULTS)
        lists("applications", "cases:application_list", WorklistFilterForm(), {"status": "", "kind": ""},
              searches=())
        lists("vacancies", "partners:vacancy_list", VacancyFilterForm(), VacancyFilterForm.DEFAULTS)
        if c["vacancy"] is not None:
            add("vacancy with proposals", "partners:vacancy_detail", kwargs={"pk": c["vacancy"].pk})
        lists("partners", "partners:partner_list", PartnerFilterForm(), PartnerFilterForm.DEFAULTS, searches=())
        if c["partner"] is not None:
            add("partner page", "partners:partner_detail", kwargs={"pk": c["partner"].pk})
        lists("free places", "partners:offer_board", BoardFilterForm(), BoardFilterForm.DEFAULTS, searches=())
        add("dashboard", "reporting:dashboard", kind="dashboard")
        for key in DRILLS:
            add(f"drill-down · {key}", "reporting:drilldown", kwargs={"key": key}, kind="list")
        # the yardsticks
        add("trivial: accessibility statement", "accessibility", kind="trivial",
            roles=[Role.FALLMANAGER, Role.TEAMLEITUNG])
        add("trivial: legal notices", "integration_plans:notice_list", kind="trivial", roles=[Role.TEAMLEITUNG])
        changelist = reverse("admin:cases_client_changelist")
        pages.append(Page("admin client changelist (all offices)", changelist, [Role.ADMINISTRATOR], "admin"))
        pages.append(Page(ADMIN_REFERENCE,
                          f"{changelist}?contact_point__id__exact={office.pk}", [Role.ADMINISTRATOR], "admin"))
        return pages

    # --- measuring ----------------------------------------------------------------------------------------
    def _measure(self, client: TestClient, page: Page, role: str, repeat: int, warmup: int) -> Result:
        result = Result(page, role)
        page_times, sql_times, counts = [], [], []
        for attempt in range(warmup + repeat):
            with sql_timer() as sql:
                started = time.perf_counter()
                try:
                    response = client.get(page.url)
                except Exception as error:  # noqa: BLE001 - a broken page is a row of the report
                    result.error = f"500 {type(error).__name__}: {str(error)[:160]}"
                    return result
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                location = f" → {response.get('Location')}" if response.get("Location") else ""
                result.error = f"{response.status_code}{location}"
                return result
            if attempt >= warmup:
                page_times.append(elapsed * 1000)
                sql_times.append(sql["seconds"] * 1000)
                counts.append(int(sql["queries"]))
        result.page_ms = statistics.median(page_times)
        result.sql_ms = statistics.median(sql_times)
        result.queries = int(statistics.median(counts))
        return result

    def _judge(self, result: Result, admin: Result | None, compare: dict[tuple[str, str], float] | None) -> None:
        if result.error or result.page.kind in ("admin", "trivial"):
            return
        if result.page.kind == "dashboard":
            if result.page_ms > DASHBOARD_TARGET_MS:
                result.misses.append(f"page {result.page_ms:.0f} ms > {DASHBOARD_TARGET_MS:.0f}")
            return
        if result.sql_ms > SQL_TARGET_MS:
            result.misses.append(f"SQL {result.sql_ms:.1f} ms > {SQL_TARGET_MS:.0f}")
        if result.page_ms > PAGE_TARGET_MS:
            result.misses.append(f"page {result.page_ms:.0f} ms > {PAGE_TARGET_MS:.0f}")
        if result.page.kind == "list" and admin is not None and result.page_ms > LIST_RATIO_TARGET * admin.page_ms:
            result.misses.append(f"{result.page_ms / admin.page_ms:.2f} × admin > {LIST_RATIO_TARGET}")
        other = compare.get((result.page.label, ROLE_LABELS.get(result.role, result.role))) if compare else None
        if other and result.page_ms > SCALE_RATIO_TARGET * other:
            result.misses.append(f"{result.page_ms / other:.2f} × the compared run > {SCALE_RATIO_TARGET}")

    # --- output -------------------------------------------------------------------------------------------
    def _read_compare(self, path: str) -> dict[tuple[str, str], float]:
        """page p50 per (page, role) from an earlier Markdown output of this command."""
        figures: dict[tuple[str, str], float] = {}
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
                if len(cells) >= 3:
                    try:
                        figures[(cells[0].replace("\\|", "|"), cells[1])] = float(cells[2].replace(",", ""))
                    except ValueError:
                        continue
        return figures

    def _sizes(self, office: ContactPoint) -> list[str]:
        offices = city_offices()
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
                           [["cases_client", "cases_case", "cases_contactnote", "integration_plans_integrationplan",
                             "cases_appointment"]])
            estimates = dict(cursor.fetchall())
        here = {
            "clients": Client.objects.filter(contact_point=office).count(),
            "cases": Case.objects.filter(contact_point=office).count(),
            "open cases": Case.objects.filter(contact_point=office).exclude(status=CaseStatus.CLOSED).count(),
        }
        return [
            f"* database `{connection.settings_dict['NAME']}`: {len(offices)} offices; in all about "
            + ", ".join(f"{label} {estimates.get(table, 0):,}" for label, table in (
                ("clients", "cases_client"), ("cases", "cases_case"), ("contact notes", "cases_contactnote"),
                ("plans", "integration_plans_integrationplan"), ("appointments", "cases_appointment"))),
            f"* office measured: {office.name} (number {office_index(office)}): "
            + ", ".join(f"{label} {n:,}" for label, n in here.items()),
        ]

    def _report(self, office: ContactPoint, c: dict[str, Any], results: list[Result], admin: Result | None,
                compare: dict[tuple[str, str], float] | None, repeat: int, warmup: int,
                load_before: tuple[float, float, float], seconds: float) -> str:
        load_after = os.getloadavg()
        lines = [
            f"## Work pages ({timezone.localtime():%Y-%m-%d %H:%M}, median of {repeat} warm requests after "
            f"{warmup} untimed)", "",
            *self._sizes(office),
            f"* settings: DEBUG={settings.DEBUG}, staticfiles {settings.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"sample client #{c['client'].pk}, case #{c['case'].pk}; searches “{c['search_name']}”, "
            f"“{c['search_last_name']}”, {c['search_number']}, {c['search_file_number']}, {c['search_birth_date']}",
            f"* machine load (1/5/15 min) before {'/'.join(f'{x:.1f}' for x in load_before)}, after "
            f"{'/'.join(f'{x:.1f}' for x in load_after)} on {os.cpu_count()} CPUs; run took {seconds:.0f} s",
            f"* targets: SQL p50 ≤ {SQL_TARGET_MS:.0f} ms, page p50 ≤ {PAGE_TARGET_MS:.0f} ms, a list ≤ "
            f"{LIST_RATIO_TARGET} × the admin changelist of the same office"
            + (f" ({admin.page_ms:.1f} ms)" if admin else "") + f", dashboard ≤ {DASHBOARD_TARGET_MS:.0f} ms"
            + (f", ≤ {SCALE_RATIO_TARGET} × the compared run" if compare else ""),
            "",
            "| page | role | page p50 ms | SQL p50 ms | queries | ratio to admin changelist |"
            + (" × compared run |" if compare else ""),
            "|---|---|---:|---:|---:|---:|" + ("---:|" if compare else ""),
        ]
        for r in results:
            role = ROLE_LABELS.get(r.role, r.role)
            label = r.page.label.replace("|", "\\|")
            if r.error:
                lines.append(f"| {label} | {role} | ERROR {r.error} | | | |" + (" |" if compare else ""))
                continue
            ratio = f"{r.page_ms / admin.page_ms:.2f}" if admin and r.page.kind != "admin" else "–"
            row = f"| {label} | {role} | {r.page_ms:.1f} | {r.sql_ms:.1f} | {r.queries} | {ratio} |"
            if compare:
                other = compare.get((r.page.label, role))
                row += f" {r.page_ms / other:.2f} |" if other else " – |"
            lines.append(row)
        misses = [r for r in results if r.misses]
        errors = [r for r in results if r.error]
        measured = [r for r in results if not r.error and r.page.kind not in ("admin", "trivial")]
        lines += ["", f"**{len(measured) - len(misses)} of {len(measured)} page rows meet the targets; "
                      f"{len(misses)} miss them; {len(errors)} errors.**", ""]
        lines += [f"- MISSES: {r.page.label} ({ROLE_LABELS.get(r.role, r.role)}): {'; '.join(r.misses)} — "
                  f"`{r.page.url}`" for r in misses]
        lines += [f"- ERROR: {r.page.label} ({ROLE_LABELS.get(r.role, r.role)}): {r.error} — `{r.page.url}`"
                  for r in errors]
        return "\n".join(lines) + "\n"


def quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)
