// Switch language as soon as another one is chosen (the button does it without scripts).
document.querySelectorAll("form.lang select").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
