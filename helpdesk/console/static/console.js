// Progressive enhancement: every form works without this file (no build step, no framework).
// With it, a step that cannot be undone asks in the page (instead of the server's confirmation
// page), and a clicked form is not sent twice on a slow connection.
"use strict";
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question) {
    if (!window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Asked here, so the server's own confirmation step (the page for browsers without this file)
    // is skipped.
    if (!form.querySelector("input[name=confirm]")) {
      const confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirm";
      confirmed.value = "1";
      form.appendChild(confirmed);
    }
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() === "post") {
    form.dataset.sent = "1";
    // After this turn of the event loop: the pressed button's name=value is already in the form data.
    setTimeout(() => form.querySelectorAll("button").forEach((b) => { b.disabled = true; }), 0);
  }
});

// A page restored from the back/forward cache gets its buttons back.
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-sent]").forEach((form) => {
    delete form.dataset.sent;
    form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
  });
});
