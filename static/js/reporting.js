// Success measurement: the print buttons (no inline scripts because of the CSP).
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (button) {
    window.print();
  }
});

// Printed, the definitions below the tables are shown open.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details.report-definition").forEach((details) => {
    details.open = true;
  });
});
