"""Charts rendered on the server as SVG (pygal) and embedded as ``data:`` images.

pygal writes its CSS into a ``<style>`` element and adds a ``<script>``; inline in the page both would break the
Content-Security-Policy (no inline styles or scripts). As an image (``<img src="data:image/svg+xml;base64,…">``)
the SVG is a document of its own: its style applies, scripts never run (we strip them anyway), and the page's
policy allows ``data:`` images. The same data URIs go into the PDF. Every chart has a table with the same
numbers next to it (and a text alternative), so nothing depends on seeing the picture.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree

import pygal
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pygal.style import Style

from reporting.figures import Figures
from reporting.metrics import slices
from reporting.metrics.outcomes import COHORT_STEPS
from reporting.tables import CASELOAD_SLICES, mix_counts

# Colours with enough contrast on white and distinguishable in greyscale print: HLU, Kombi, Alhi, none.
GROUP_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#8c8c8c", "#7030a0")
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def _style(colours: tuple[str, ...] = GROUP_COLOURS) -> Style:
    return Style(
        font_family=FONT, background="white", plot_background="white", foreground="#212529",
        foreground_strong="#212529", foreground_subtle="#6c757d", colors=colours, opacity=".9",
        opacity_hover=".9", label_font_size=12, major_label_font_size=12, legend_font_size=13,
        value_font_size=11, title_font_size=15, tooltip_font_size=12,
    )


def _percent(value: float | Decimal) -> str:
    """A rate as the tables print it, with the decimal comma ("36,0 %"): the charts' axis labels."""
    return f"{number_format(value, 1)} %"


def _config(**options: object) -> dict[str, object]:
    return {"style": _style(), "js": [], "disable_xml_declaration": True, "width": 760, "height": 320,
            "legend_at_bottom": True, "legend_at_bottom_columns": 2, "margin": 12, "show_minor_x_labels": True,
            "truncate_legend": -1, "print_values": False, **options}


@dataclass(frozen=True)
class ChartValues:
    """A chart's data as text (WCAG 1.1.1): one row per x label (per series for a ring chart)."""

    head: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt: str
    data_uri: str
    values: ChartValues | None = None


def _number(value: float | int | None) -> str:
    """Formatted like the report tables: counts as integers, rates (the only floats charted) in percent."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return _percent(value)
    return number_format(value, 0, force_grouping=True)


def _values(chart: pygal.graph.graph.Graph, head: str) -> ChartValues:
    """The numbers the chart draws, as a table: for the "Values as a table" under each chart."""
    series = [(str(meta.get("title")), list(values)) for values, meta in chart.raw_series]
    labels = getattr(chart, "x_labels", None)  # set on the chart, not in its config; a ring chart has none
    if not labels:  # a ring chart: one value per series
        return ChartValues(head, [_("Number")], [(title, [_number(values[0] if values else None)])
                                                for title, values in series])
    rows = [(str(label), [_number(values[i] if i < len(values) else None) for _title, values in series])
            for i, label in enumerate(labels)]
    return ChartValues(head, [title for title, _drawn in series], rows)


def _encode(chart: pygal.graph.graph.Graph) -> str:
    """SVG without scripts and comments, as a base64 data URI. Rendering is a pure function of the chart's
    configuration and data, so equal charts are rendered once per process (``_render``)."""
    key = repr((type(chart).__name__, chart.config.width, chart.config.height, getattr(chart, "x_labels", None),
                [(str(meta.get("title")), tuple(values)) for values, meta in chart.raw_series]))
    return _render(key, chart)


_CACHE: dict[str, str] = {}
_CACHE_SIZE = 64


def _render(key: str, chart: pygal.graph.graph.Graph) -> str:
    if key in _CACHE:
        return _CACHE[key]
    tree = chart.render_tree()
    for parent in list(tree.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            # scripts never run in an image; tooltips (desc) are never shown in one; comments are noise
            if tag.rsplit("}", 1)[-1] in ("script", "desc") or child.tag is ElementTree.Comment:
                parent.remove(child)
    svg = ElementTree.tostring(tree, encoding="utf-8")
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = uri
    return uri


def _labels(f: Figures) -> list[str]:
    return [m.short_label for m in f.quotes.months]


def integrations_trend(f: Figures) -> Chart:
    chart = pygal.StackedBar(**_config(x_label_rotation=-45, show_minor_x_labels=True))
    chart.x_labels = _labels(f)
    for slice_ in (*slices.GROUP_SLICES, slices.NONE):
        chart.add(str(slice_.label), [f.quotes.row(slice_.key, m).integrations for m in f.quotes.months])
    total = sum(f.quotes.row(s.key, m).integrations for s in (*slices.GROUP_SLICES, slices.NONE)
                for m in f.quotes.months)
    return Chart("trend", _("Integrations per month"),
                 _("Bar chart: integrations per month by target group, %(first)s to %(last)s, %(total)s in all.")
                 % {"first": f.quotes.months[0].label, "last": f.quotes.months[-1].label, "total": total},
                 _encode(chart), _values(chart, _("Month")))


def quote_trend(f: Figures) -> Chart:
    chart = pygal.Line(**_config(x_label_rotation=-45, dots_size=3, value_formatter=_percent,
                                 style=_style(("#1f4e79", "#c55a11")), legend_at_bottom_columns=2))
    chart.x_labels = _labels(f)
    months = f.quotes.months
    chart.add(_("Integration rate (month)"),
              [float(q) if (q := f.quotes.row(slices.ALL.key, m).quote) is not None else None for m in months])
    chart.add(_("Integration rate (12 months)"),
              [float(q) if (q := f.quotes.row(slices.ALL.key, m).quote_12) is not None else None for m in months])
    last = f.quotes.row(slices.ALL.key, months[-1])
    return Chart("quote", _("Integration rate"),
                 _("Line chart: integration rate of all target groups per month and over 12 months; "
                   "%(month)s: %(rate)s %% (12 months: %(rate12)s %%).")
                 % {"month": months[-1].label,
                    "rate": number_format(last.quote, 1) if last.quote is not None else "–",
                    "rate12": number_format(last.quote_12, 1) if last.quote_12 is not None else "–"},
                 _encode(chart), _values(chart, _("Month")))


def mix_chart(f: Figures) -> Chart:
    chart = pygal.Pie(**_config(width=420, height=360, inner_radius=.45, legend_at_bottom_columns=2))
    counts = mix_counts(f)
    for slice_ in (*slices.GROUP_SLICES, slices.NONE):
        chart.add(str(slice_.label), counts[slice_.key])
    return Chart("mix", _("Target-group mix"),
                 _("Ring chart of the open cases by target group: %(parts)s.")
                 % {"parts": ", ".join(f"{s.label} {counts[s.key]}" for s in (*slices.GROUP_SLICES, slices.NONE))},
                 _encode(chart), _values(chart, _("Target group")))


def caseload_chart(f: Figures) -> Chart:
    loads = f.caseload
    height = max(200, 60 + 34 * len(loads))
    chart = pygal.HorizontalStackedBar(**_config(height=height))
    chart.x_labels = [load.name or _("Not assigned") for load in loads]
    for slice_ in CASELOAD_SLICES[:4]:
        chart.add(str(slice_.label), [load.by_slice[slice_.key] for load in loads])
    return Chart("caseload", _("Caseload per case manager"),
                 _("Bar chart of open cases per case manager: %(parts)s.")
                 % {"parts": ", ".join(f"{load.name or _('Not assigned')} {load.total}" for load in loads)},
                 _encode(chart), _values(chart, _("Case manager")))


def cohort_chart(f: Figures) -> Chart:
    chart = pygal.Line(**_config(dots_size=4, value_formatter=_percent, range=(0, 100),
                                 x_title=_("Months since intake")))
    chart.x_labels = [str(step) for step in COHORT_STEPS]
    for slice_ in (*slices.GROUP_SLICES, slices.NONE):
        chart.add(str(slice_.label), [
            float(c.share) if c.share is not None else None
            for step in COHORT_STEPS for c in f.cohorts if c.slice is slice_ and c.months == step
        ])
    return Chart("cohorts", _("Integrated by months since intake"),
                 _("Line chart: share of cases integrated by months since intake, one line per target group."),
                 _encode(chart), _values(chart, _("Months since intake")))


CHARTS = {"trend": integrations_trend, "quote": quote_trend, "mix": mix_chart, "caseload": caseload_chart,
          "cohorts": cohort_chart}


def dashboard_charts(f: Figures, only: tuple[str, ...] | None = None) -> dict[str, Chart]:
    return {key: build(f) for key, build in CHARTS.items() if only is None or key in only}
