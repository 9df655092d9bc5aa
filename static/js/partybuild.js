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

  // <form data-confirm="what will happen">: says so in the page's dialog
  // (partials/confirm_modal.html) and sends only once confirmed there; the browser's own
  // confirm() where the dialog is missing.
  var confirming = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-confirm]") || form.pbConfirmed) return;
    var dialog = document.getElementById("pb-confirm");
    if (!dialog || !window.bootstrap) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      return;
    }
    event.preventDefault();
    confirming = { form: form, submitter: event.submitter || null };
    dialog.querySelector("[data-pb-confirm-text]").textContent = form.getAttribute("data-confirm");
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  });
  function confirmed() {
    if (!confirming) return;
    var form = confirming.form;
    var submitter = confirming.submitter;
    confirming = null;
    form.pbConfirmed = true;
    if (form.requestSubmit) {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
  }

  // <input data-pb-filter> in a fieldset: shows only the fieldset's [data-pb-item]s whose
  // text holds what was typed (a searchable list of checkboxes).
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches("[data-pb-filter]")) return;
    var scope = box.closest("fieldset") || document;
    var words = box.value.trim().toLowerCase();
    var shown = 0;
    scope.querySelectorAll("[data-pb-item]").forEach(function (item) {
      var match = !words || item.textContent.toLowerCase().indexOf(words) !== -1;
      item.hidden = !match;
      if (match) shown += 1;
    });
    var none = scope.querySelector("[data-pb-none]");
    if (none) none.hidden = shown > 0;
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print], [data-pb-check], [data-add], [data-pb-confirm-ok]");
    if (!button) return;
    if (button.matches("[data-pb-confirm-ok]")) {
      window.bootstrap.Modal.getOrCreateInstance(document.getElementById("pb-confirm")).hide();
      confirmed();
    } else if (button.matches("[data-print]")) {
      window.print();
    } else if (button.matches("[data-pb-check]")) {
      // "Select all" / "Clear" for the checkboxes of the button's fieldset.
      var on = button.getAttribute("data-pb-check") === "all";
      // Only the boxes shown: a search may have hidden the others.
      button.closest("fieldset").querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (!box.closest("[hidden]")) box.checked = on;
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
    if (list.closest("form[data-rubric-editor]")) fields = list.querySelectorAll("input[type=text]");
    if (fields.length) fields[fields.length - 1].focus();
    updateRubricTotal();
  }

  // A number input's value as the server will take it: its number when it lies within the
  // input's min and max and on its step (counted from min), otherwise null. Running totals
  // count only such values, so they never show a sum the form would refuse.
  function acceptedValue(input) {
    var text = input.value.trim();
    if (text === "" || !/^[0-9]+(\.[0-9]+)?$/.test(text)) return null;
    var value = Number(text);
    var min = input.hasAttribute("min") ? Number(input.getAttribute("min")) : 0;
    var max = input.hasAttribute("max") ? Number(input.getAttribute("max")) : Infinity;
    var step = input.hasAttribute("step") ? Number(input.getAttribute("step")) : 0;
    if (value < min || value > max) return null;
    if (step > 0 && Math.abs((value - min) / step - Math.round((value - min) / step)) > 1e-9) return null;
    return value;
  }

  // The rating form's running total: <input class="pb-score"> into <output id="pb-total">;
  // "…" while an item is empty or holds a value the form will refuse.
  function updateTotal() {
    var out = document.getElementById("pb-total");
    if (!out) return;
    var total = 0;
    var complete = true;
    document.querySelectorAll(".pb-score").forEach(function (input) {
      var value = acceptedValue(input);
      if (value === null) {
        complete = false;
      } else {
        total += value;
      }
    });
    out.textContent = complete ? total.toFixed(1) : total.toFixed(1) + " …";
  }

  // The rubric editor (<form data-rubric-editor>): each area's subtotal and the maxima's
  // total, counting the items not marked for removal whose maximum the form accepts.
  function updateRubricTotal() {
    var form = document.querySelector("form[data-rubric-editor]");
    if (!form) return;
    var total = 0;
    form.querySelectorAll("[data-area]").forEach(function (area) {
      var subtotal = 0;
      area.querySelectorAll("[data-rubric-item]").forEach(function (row) {
        var input = row.querySelector("[data-max-score]");
        var removed = row.querySelector("[data-delete-item]");
        if (!input) return;
        var value = acceptedValue(input);
        row.classList.toggle("opacity-50", Boolean(removed && removed.checked));
        if (value !== null && !(removed && removed.checked)) subtotal += value;
      });
      var out = area.querySelector("[data-area-total]");
      if (out) out.textContent = subtotal.toFixed(1);
      total += subtotal;
    });
    var totalOut = form.querySelector("[data-rubric-total]");
    var status = form.querySelector("[data-rubric-status]");
    var ok = Math.abs(total - 100) < 1e-9;
    if (totalOut) {
      totalOut.textContent = total.toFixed(1);
      totalOut.classList.toggle("text-success", ok);
      totalOut.classList.toggle("text-danger", !ok);
    }
    if (status) {
      status.textContent = status.getAttribute(ok ? "data-ok" : "data-off");
      status.classList.toggle("text-success", ok);
      status.classList.toggle("text-danger", !ok);
    }
  }

  // The attendance list (<tr data-attendance-row>): a member marked excused or absent
  // whose reason is still empty is marked, as the form will refuse it.
  function markAttendanceRow(row) {
    var checked = row.querySelector("input[type=radio]:checked");
    var reason = row.querySelector("input[type=text]");
    var lacks = Boolean(checked && checked.value !== "present" && reason && reason.value.trim() === "");
    row.classList.toggle("table-warning", lacks);
    row.toggleAttribute("data-lacks-reason", lacks);
  }
  document.addEventListener("change", function (event) {
    var row = event.target.closest("[data-attendance-row]");
    if (row) markAttendanceRow(row);
  });
  document.addEventListener("input", function (event) {
    var row = event.target.closest("[data-attendance-row]");
    if (row) markAttendanceRow(row);
  });

  function updateTotals() {
    updateTotal();
    updateRubricTotal();
  }
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.matches(".pb-score, [data-max-score]")) {
      // Said at once, as the server would say it on saving.
      field.classList.toggle("is-invalid", field.value.trim() !== "" && acceptedValue(field) === null);
    }
    if (field.matches(".pb-score")) updateTotal();
    if (event.target.closest("form[data-rubric-editor]")) updateRubricTotal();
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest("form[data-rubric-editor]")) updateRubricTotal();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateTotals);
  } else {
    updateTotals();
  }
})();
