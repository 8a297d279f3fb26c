// Small behaviours for the whole site (served locally; no inline scripts because of the CSP).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains("js-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});

// Reflow (WCAG 1.4.10) lets a wide table scroll sideways inside its .table-responsive box; a keyboard user must be
// able to scroll it too (2.1.1). While a box overflows, it takes the focus (arrow keys scroll it) and is a region
// named after its table's caption or its section's heading; when it fits again, it is a plain box again.
const keyboardScrollableTables = () => {
  for (const box of document.querySelectorAll(".table-responsive")) {
    const overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows && !box.hasAttribute("tabindex")) {
      const named = box.querySelector("caption") || box.closest("section, .card, article")?.querySelector("h1, h2, h3, h4");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", named?.textContent.trim() || (document.documentElement.lang === "de" ? "Tabelle" : "Table"));
      box.dataset.keyboardScroll = "true";
    } else if (!overflows && box.dataset.keyboardScroll) {
      for (const name of ["tabindex", "role", "aria-label", "data-keyboard-scroll"]) box.removeAttribute(name);
    }
  }
};
let tablesPending = false;
const checkTablesSoon = () => {
  if (tablesPending) return;
  tablesPending = true;
  requestAnimationFrame(() => { tablesPending = false; keyboardScrollableTables(); });
};
keyboardScrollableTables();
window.addEventListener("resize", checkTablesSoon);
window.addEventListener("load", checkTablesSoon);
document.addEventListener("toggle", checkTablesSoon, true);  // a <details> opened (chart values)
document.addEventListener("htmx:afterSettle", checkTablesSoon);

// "Select all": a checkbox with data-check-all="name" ticks or unticks every checkbox of that name in its form, and
// follows them (ticked when all are, mixed when some are). Without JavaScript it is hidden (class js-only).
const checkAllSync = (master) => {
  const boxes = [...master.form.querySelectorAll(`input[type=checkbox][name="${master.dataset.checkAll}"]`)];
  const ticked = boxes.filter((box) => box.checked).length;
  master.checked = ticked > 0 && ticked === boxes.length;
  master.indeterminate = ticked > 0 && ticked < boxes.length;
  const counter = master.form.querySelector("[data-check-count]");
  if (counter) counter.textContent = String(ticked);
};
for (const master of document.querySelectorAll("input[data-check-all]")) {
  master.closest(".js-only")?.classList.remove("d-none");
  if (master.form) checkAllSync(master);
}
document.addEventListener("change", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement) || target.type !== "checkbox" || !target.form) return;
  if (target.dataset.checkAll) {
    for (const box of target.form.querySelectorAll(`input[type=checkbox][name="${target.dataset.checkAll}"]`)) {
      box.checked = target.checked;
    }
    checkAllSync(target);
  } else {
    for (const master of target.form.querySelectorAll(`input[data-check-all="${target.name}"]`)) checkAllSync(master);
  }
});

// Deferred scripts run in order, so when this one runs Bootstrap and htmx have bound their handlers. The
// browser journeys wait for this marker before they use a widget that needs them (tests/e2e/conftest.py).
document.documentElement.dataset.ready = "true";
