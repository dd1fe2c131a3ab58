/* Case study filters, enhanced: when a filter changes, fetch the same list page for the new
   query string and swap its results in place, keeping the address bar (and Back) in step.

   Contract with the page: form#filters (a GET form that works on its own), section#results
   and, inside it, p#result-count (role="status", so its new text is announced). The script
   knows nothing else about the form: it reads whatever controls the form has. Without this
   file, or with an old browser, the form simply submits and the page reloads. */
(function () {
  "use strict";

  var form = document.getElementById("filters");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch || !window.history || !window.DOMParser) {
    return;
  }

  var pending = null;

  function queryFor(formElement) {
    var params = new URLSearchParams();
    new FormData(formElement).forEach(function (value, name) {
      if (typeof value === "string" && value.trim() !== "") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function urlFor(query) {
    var action = new URL(form.getAttribute("action") || window.location.pathname, window.location.href);
    return action.pathname + (query ? "?" + query : "");
  }

  function isTextEntry(element) {
    return element && (element.tagName === "TEXTAREA" ||
      (element.tagName === "INPUT" && /^(search|text|number|email|tel|url)$/.test(element.type)));
  }

  function replaceResults(fresh) {
    var count = document.getElementById("result-count");
    var freshCount = fresh.querySelector("#result-count");
    // Keep the live region element itself, so assistive technology announces its new text.
    if (count && freshCount) {
      freshCount.replaceWith(count);
    }
    results.replaceChildren.apply(results, Array.prototype.slice.call(fresh.childNodes));
    if (count && freshCount) {
      // Empty it first, then fill it: the same count after a change is announced again too.
      var text = freshCount.textContent;
      count.textContent = "";
      window.setTimeout(function () {
        count.textContent = text;
      }, 100);
    }
  }

  function replaceForm(freshForm, force) {
    // The form can carry state the server computes (counts, errors, choices). Take it, unless
    // the reader is typing in it, and put the focus back on the same control.
    var typing = isTextEntry(document.activeElement) && form.contains(document.activeElement);
    if (!freshForm || (typing && !force)) {
      return;
    }
    var focusedId = form.contains(document.activeElement) ? document.activeElement.id : "";
    form.replaceChildren.apply(form, Array.prototype.slice.call(freshForm.childNodes));
    if (focusedId) {
      var again = document.getElementById(focusedId);
      if (again) {
        again.focus();
      }
    }
  }

  function load(url, options) {
    if (pending) {
      pending.abort();
    }
    var controller = new AbortController();
    pending = controller;
    results.setAttribute("aria-busy", "true");
    return fetch(url, {
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      signal: controller.signal
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var freshResults = page.getElementById("results");
      if (!freshResults) {
        window.location.assign(url);
        return;
      }
      replaceResults(freshResults);
      replaceForm(page.getElementById("filters"), options.focusResults);
      // The filter panel's summary says how many filters are active (filter-panel.js).
      var activeCount = document.getElementById("filter-panel-count");
      var freshActiveCount = page.getElementById("filter-panel-count");
      if (activeCount && freshActiveCount) {
        activeCount.textContent = freshActiveCount.textContent;
      }
      if (page.title) {
        document.title = page.title;
      }
      if (options.push) {
        window.history.pushState({ coopnetFilters: true }, "", url);
      }
      if (options.focusResults) {
        results.setAttribute("tabindex", "-1");
        results.focus();
      }
    }).catch(function (error) {
      if (error.name !== "AbortError") {
        window.location.assign(url);
      }
    }).finally(function () {
      if (pending === controller) {
        pending = null;
        results.removeAttribute("aria-busy");
      }
    });
  }

  function update(options) {
    var url = urlFor(queryFor(form));
    if (url === window.location.pathname + window.location.search) {
      // Already applied as they changed: "Apply filters" still takes the reader to the results
      // (on a phone, below the open filters).
      if (options.focusResults) {
        results.setAttribute("tabindex", "-1");
        results.focus();
      }
      return;
    }
    load(url, { push: true, focusResults: options.focusResults });
  }

  form.addEventListener("change", function (event) {
    // Text boxes change when the reader leaves them; they are applied on submit (Enter) instead.
    if (!isTextEntry(event.target)) {
      update({ focusResults: false });
    }
  });
  // Controls outside the form that belong to it (form="filters") change too.
  document.addEventListener("change", function (event) {
    if (event.target.form === form && !form.contains(event.target) && !isTextEntry(event.target)) {
      update({ focusResults: false });
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update({ focusResults: true });
  });

  // Links inside the results (pages, removable filters, sorting) lead to the same list: follow
  // them in place as well, and take the reader to the top of the new results.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    if (!(results.contains(link) || form.contains(link))) {
      return;
    }
    var target = new URL(link.href, window.location.href);
    if (target.origin !== window.location.origin || target.pathname !== urlFor("")) {
      return;
    }
    event.preventDefault();
    load(target.pathname + target.search, { push: true, focusResults: true });
  });

  window.addEventListener("popstate", function () {
    load(window.location.pathname + window.location.search, {
      push: false,
      focusResults: false
    });
  });
  window.history.replaceState({ coopnetFilters: true }, "", window.location.href);
})();
