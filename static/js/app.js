// Small behaviours for the whole site (served locally; no inline scripts because of the CSP).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains("js-autosubmit") && target.form) {
    target.form.requestSubmit();
  }
});
