/* Accessible names for the staff pages' third-party widgets, which draw controls of their
   own beside the (hidden) form field that has the label: the rich-text editor's editable area
   (django-prose-editor), the autocomplete pickers (select2) and their search boxes, and the
   unlabelled first column of a tabular inline. Each gets the name of the field it stands for.
   Widgets appear after load and when an inline row is added, so a MutationObserver watches. */
(function () {
  "use strict";

  function fieldName(field) {
    if (!field) return "";
    const own = field.getAttribute("aria-label");
    if (own) return own;
    if (field.id) {
      const label = document.querySelector('label[for="' + field.id + '"]');
      if (label) return label.textContent.replace(/:\s*$/, "").trim();
    }
    return "";
  }

  function nameEditors(root) {
    root.querySelectorAll(".prose-editor").forEach(function (editor) {
      const area = editor.querySelector(".ProseMirror[contenteditable]");
      const field = editor.querySelector("textarea");
      const name = fieldName(field);
      if (area && name && !area.hasAttribute("aria-label")) {
        area.setAttribute("aria-label", name);
      }
    });
  }

  function namePickers(root) {
    root.querySelectorAll("span.select2").forEach(function (container) {
      const select = container.previousElementSibling;
      const name = fieldName(select);
      if (!name) return;
      const combobox = container.querySelector(".select2-selection");
      if (combobox && combobox.getAttribute("aria-label") !== name) {
        // select2 names it by its selected text, which is empty until something is chosen.
        combobox.removeAttribute("aria-labelledby");
        combobox.setAttribute("aria-label", name);
      }
      container
        .querySelectorAll('.select2-search__field, .select2-selection__rendered[role="textbox"]')
        .forEach(function (box) {
          if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", name);
        });
    });
  }

  function nameEmptyHeaders(root) {
    root.querySelectorAll(".inline-group thead th").forEach(function (header) {
      if (!header.textContent.trim()) {
        const text = document.createElement("span");
        text.className = "visually-hidden";
        text.textContent = header.classList.contains("original") ? "Saved row" : "Actions";
        header.appendChild(text);
      }
    });
    root.querySelectorAll('.inline-group input[type="checkbox"][name$="-DELETE"]').forEach(
      function (box) {
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", "Delete this row");
      }
    );
  }

  function nameDateTimes(root) {
    // The admin's split date and time boxes (Django's AdminSplitDateTime) have no labels.
    root.querySelectorAll("p.datetime").forEach(function (group) {
      const row = group.closest(".form-row");
      const label = row && row.querySelector("label");
      const name = label ? label.textContent.replace(/:\s*$/, "").trim() : "";
      group.querySelectorAll("input").forEach(function (input, index) {
        if (name && !input.hasAttribute("aria-label")) {
          input.setAttribute("aria-label", name + (index === 0 ? ": date" : ": time"));
        }
      });
    });
    // The two-list picker's search icons carry a name, which a plain span may not.
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameAll() {
    nameEditors(document);
    namePickers(document);
    nameEmptyHeaders(document);
    nameDateTimes(document);
  }

  let pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      nameAll();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
