// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Controls that only make sense with JavaScript (the region filter of the province list).
  function revealScriptOnly(root) {
    root.querySelectorAll(".js-only[hidden]").forEach(function (el) { el.hidden = false; });
  }

  // A field meant for one age band only (a minor's guardian agreement): hidden while another is chosen.
  function showAgeBandFields(root) {
    root.querySelectorAll("[data-shown-for-age-band]").forEach(function (el) {
      var form = el.closest("form");
      var chosen = form && form.querySelector("input[name='age_band']:checked");
      el.hidden = !chosen || chosen.value !== el.getAttribute("data-shown-for-age-band");
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "age_band") { showAgeBandFields(document); }
  });

  // After a refused submission, take keyboard and screen reader users to the error summary.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); return true; }
    return false;
  }

  // Error summary links: focus the field itself and bring its label or legend into view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var input = document.getElementById(link.getAttribute("href").slice(1));
    if (!input) { return; }
    event.preventDefault();
    var anchor = input.closest("fieldset") || input.closest(".field") || input;
    anchor.scrollIntoView();
    input.focus({ preventScroll: true });
  });

  // htmx requests that change something carry the CSRF token of the page as it is now: the request's
  // own form, else any form of the page (a signed-in page always has one: sign out). Not a token fixed
  // on <body>: boosted navigation keeps the first page's <body>, and a page without a form has none.
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb === "get" || detail.headers["X-CSRFToken"]) { return; }
    var form = detail.elt && detail.elt.closest && detail.elt.closest("form");
    var field = (form && form.querySelector("input[name='csrf_token']")) ||
      document.querySelector("input[name='csrf_token']");
    if (field) { detail.headers["X-CSRFToken"] = field.value; }
  });

  document.addEventListener("DOMContentLoaded", function () {
    revealScriptOnly(document);
    showAgeBandFields(document);
    focusErrorSummary(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    revealScriptOnly(document);
    showAgeBandFields(document);
    var target = event.detail.target;
    if (target && /^row-\d+$/.test(target.id)) {
      // A decision replaced its row: keep the keyboard there, on the row's first remaining action.
      var row = document.getElementById(target.id);
      var next = row && (row.querySelector("button") || row.querySelector("a"));
      if (next) { next.focus(); }
      return;
    }
    if (target && target.id === "registration-form") {
      focusErrorSummary(document);
    } else if (target === document.body) {
      // A whole page replaced the body (boosted navigation or a notice): start from its main content.
      if (!focusErrorSummary(document)) {
        var main = document.getElementById("main");
        if (main) { main.focus(); }
      }
    }
  });

  // "Copy" beside an organiser's registration link (the dashboard): the link is in a read-only field
  // anyone can select and copy by hand; the button saves that, and the section's live region says so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy]");
    if (!button) { return; }
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.select();
    var status = button.closest("section") && button.closest("section").querySelector("[role='status']");
    var said = function () { if (status) { status.textContent = button.getAttribute("data-copied") || ""; } };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(said, function () { document.execCommand("copy"); said(); });
    } else {
      document.execCommand("copy");
      said();
    }
  });
})();
