/* The behaviour of every page, in one file: the Content-Security-Policy allows no inline
   script, so templates say what they need with data attributes and this file acts on them.
   Handlers are delegated from the document, so content swapped in by htmx works too. */
(function () {
  "use strict";

  // <select data-autosubmit>: a filter that applies itself when changed.
  // <select data-navigate>: each option's value is an address to go to.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    } else if (field.matches("[data-navigate]") && field.value) {
      window.location = field.value;
    }
  });

  // <form data-confirm="question">: asks before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches("[data-confirm]") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print], [data-pb-check], [data-add]");
    if (!button) return;
    if (button.matches("[data-print]")) {
      window.print();
    } else if (button.matches("[data-pb-check]")) {
      // "Select all" / "Clear" for the checkboxes of the button's fieldset.
      var on = button.getAttribute("data-pb-check") === "all";
      button.closest("fieldset").querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = on;
      });
    } else {
      addRow(button.getAttribute("data-add"));
    }
  });

  // <button data-add="prefix">: one more row of the formset with that prefix, from its
  // <template data-template="prefix">, appended to <div data-items="prefix">.
  function addRow(key) {
    var total = document.getElementById("id_" + key + "-TOTAL_FORMS");
    var template = document.querySelector("template[data-template='" + key + "']");
    var list = document.querySelector("[data-items='" + key + "']");
    if (!total || !template || !list) return;
    var index = parseInt(total.value, 10);
    list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
    total.value = index + 1;
    var fields = list.querySelectorAll("textarea");
    if (fields.length) fields[fields.length - 1].focus();
  }

  // The rating form's running total: <input class="pb-score"> into <output id="pb-total">.
  function updateTotal() {
    var out = document.getElementById("pb-total");
    if (!out) return;
    var total = 0;
    var complete = true;
    document.querySelectorAll(".pb-score").forEach(function (input) {
      var value = parseFloat(input.value);
      if (isNaN(value)) {
        complete = false;
      } else {
        total += value;
      }
    });
    out.textContent = complete ? total.toFixed(1) : total.toFixed(1) + " …";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches(".pb-score")) updateTotal();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateTotal);
  } else {
    updateTotal();
  }
})();
