// Plan editor (integration_plans): add and remove formset rows in the browser without losing input, pick the
// kind of service from the chosen partner offer, show the decision fields only for a one-sided decision.
// Without JavaScript the same form works by posting back (the "add" buttons and the "remove" checkboxes).
(() => {
  const editor = document.querySelector(".js-plan-editor");
  if (!editor) {
    return;
  }
  const removedText = editor.dataset.removedText || "Row removed.";
  const undoText = editor.dataset.undoText || "Undo";

  const enhanceRow = (row) => {
    const checkbox = row.querySelector(".js-delete input[type=checkbox]");
    const button = row.querySelector(".js-remove-row");
    if (!checkbox || !button) {
      return;
    }
    row.querySelector(".js-delete").hidden = true;
    button.hidden = false;
    const undo = document.createElement("div");
    undo.className = "small text-body-secondary js-undo";
    undo.hidden = true;
    const text = document.createElement("span");
    text.textContent = removedText + " ";
    const link = document.createElement("button");
    link.type = "button";
    link.className = "btn btn-sm btn-link p-0 align-baseline";
    link.textContent = undoText;
    undo.append(text, link);
    row.append(undo);
    const show = (removed) => {
      checkbox.checked = removed;
      for (const child of row.children) {
        if (child !== undo) {
          child.classList.toggle("d-none", removed);
        }
      }
      undo.hidden = !removed;
      row.classList.toggle("bg-body-tertiary", removed);
    };
    button.addEventListener("click", () => show(true));
    link.addEventListener("click", () => show(false));
    if (checkbox.checked) {
      show(true);
    }
  };

  editor.querySelectorAll(".js-rows .js-plan-row").forEach(enhanceRow);

  editor.querySelectorAll(".js-add-row").forEach((button) => {
    button.addEventListener("click", (event) => {
      const section = button.dataset.section;
      const template = document.getElementById(`${section}-empty`);
      const total = editor.querySelector(`#id_${section}-TOTAL_FORMS`);
      const rows = editor.querySelector(`.js-rows[data-section="${section}"]`);
      if (!template || !total || !rows) {
        return; // fall back to posting the form
      }
      event.preventDefault();
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index));
      const holder = document.createElement("div");
      holder.innerHTML = html;
      const row = holder.firstElementChild;
      rows.append(row);
      total.value = String(index + 1);
      enhanceRow(row);
      const first = row.querySelector("textarea, input:not([type=hidden]), select");
      if (first) {
        first.focus();
      }
    });
  });

  // Choosing a partner offer sets the kind of service to the offer's category.
  let categories = {};
  try {
    categories = JSON.parse(editor.dataset.offerCategories || "{}");
  } catch {
    categories = {};
  }
  // A fully booked offer may be chosen, with a warning beside it (its referral goes on the waiting list).
  let fullOffers = {};
  try {
    fullOffers = JSON.parse(editor.dataset.fullOffers || "{}");
  } catch {
    fullOffers = {};
  }
  const showFull = (select) => {
    const note = select.closest(".js-plan-row")?.querySelector(".js-offer-full");
    if (!note) {
      return;
    }
    const warning = fullOffers[select.value];
    note.replaceChildren();
    if (warning) {
      const icon = document.createElement("i");
      icon.className = "bi bi-exclamation-triangle-fill";
      icon.setAttribute("aria-hidden", "true");
      note.append(icon, ` ${warning}`);
    }
  };
  editor.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLSelectElement) || !target.name.endsWith("-offer")) {
      return;
    }
    const kind = editor.querySelector(`[name="${target.name.replace(/-offer$/, "-kind")}"]`);
    if (kind && categories[target.value]) {
      kind.value = categories[target.value];
    }
    showFull(target);
  });

  // The sticky save bar must never cover the focused field. The CSS scroll padding (app.css) handles fields that
  // are scrolled into view; a field already on screen but under the bar is not scrolled by the browser, so it is
  // brought above the bar here (block "nearest" honours the scroll padding).
  const saveBar = editor.querySelector(".app-save-bar");
  editor.addEventListener("focusin", (event) => {
    const field = event.target;
    if (!saveBar || !(field instanceof HTMLElement) || saveBar.contains(field)) {
      return;
    }
    const bar = saveBar.getBoundingClientRect();
    const box = field.getBoundingClientRect();
    if (getComputedStyle(saveBar).position === "sticky" && box.bottom > bar.top && box.top < bar.bottom) {
      field.scrollIntoView({block: "nearest"});
    }
  });

  // The reason for the duration and the review clause belong to a one-sided decision only.
  const decisionFields = editor.querySelector(".js-decision-fields");
  const syncKind = () => {
    const chosen = editor.querySelector("input[name=kind]:checked");
    if (decisionFields && chosen) {
      decisionFields.hidden = chosen.value !== "decision";
    }
  };
  editor.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === "kind") {
      syncKind();
    }
  });
  syncKind();
})();
