// Referral form: an existing release from confidentiality makes the fields for a new one unnecessary.
(() => {
  const choice = document.getElementById("id_consent");
  const fresh = document.querySelector(".js-new-consent");
  if (!choice || !fresh) {
    return;
  }
  const sync = () => {
    fresh.hidden = choice.value !== "";
  };
  choice.addEventListener("change", sync);
  sync();
})();
