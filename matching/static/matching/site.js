// Switch language as soon as another one is chosen (the button does it without scripts).
document.querySelectorAll("form.lang select").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});

// A form is sent once: a double click on its button would post it twice (two
// applications, two needs). The buttons are disabled just after the submission
// starts, so the clicked button's own name and value still go with it.
document.querySelectorAll("form[method=post]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]")
        .forEach(function (button) { button.disabled = true; });
    }, 0);
  });
});
// Back to a page kept in the browser's cache: its forms can be sent again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("form[data-sent]").forEach(function (form) {
    delete form.dataset.sent;
    form.querySelectorAll("[disabled]").forEach(function (button) { button.disabled = false; });
  });
});
