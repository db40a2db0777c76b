/* SkillCity page behaviours. The Content-Security-Policy allows scripts from the platform only and
   no inline scripts or handlers, so every page's behaviour lives here, switched on by markup:
   data-sc-autosubmit, data-sc-controls, .sc-reveal (the voucher counter has its own, web/counter.js). Loaded on every page (deferred). */
(function () {
  "use strict";

  function csrfToken() {
    // base.html puts the token in the body's hx-headers (htmx sends it with every request).
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; }
    catch (e) { return ""; }
  }

  // A select that submits its form when changed (the language switch, the calculator's rule).
  document.querySelectorAll("select[data-sc-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Django form widgets rendered bare get Bootstrap's classes.
  document.querySelectorAll("form[data-sc-controls]").forEach(function (form) {
    form.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
      el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
    });
  });

  // Showing a full ID or phone number is a POST (it is audited), answered with the value.
  document.querySelectorAll(".sc-reveal").forEach(function (button) {
    button.addEventListener("click", function () {
      var body = new URLSearchParams({field: button.dataset.field});
      fetch(button.dataset.url, {method: "POST", body: body, headers: {"X-CSRFToken": csrfToken()}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) { document.getElementById("value-" + data.field).textContent = data.value; button.remove(); })
        .catch(function () { button.textContent = button.dataset.failed || "!"; });
    });
  });

  // A table wider than the window scrolls sideways inside .table-responsive: the keyboard must be able
  // to reach it (WCAG 2.1.1), so an overflowing one becomes a focusable, named region (arrow keys scroll).
  function scrollRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          var caption = box.querySelector("caption");
          var heading = box.previousElementSibling;
          var name = caption ? caption.textContent : (heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (name.trim() ? name.trim() + " · " : "") + (document.body.dataset.scScrollLabel || ""));
          box.dataset.scScroll = "1";
        }
      } else if (box.dataset.scScroll) {
        ["tabindex", "role", "aria-label", "data-sc-scroll"].forEach(function (a) { box.removeAttribute(a); });
      }
    });
  }
  scrollRegions();
  window.addEventListener("resize", scrollRegions);
  document.body.addEventListener("htmx:afterSettle", scrollRegions);

  // "Select all on this page": a checkbox data-sc-select-all="<form id>" ticks or clears every checkbox
  // of that form (those inside it and those tied to it by form="…"), e.g. the approved grants to pay.
  document.querySelectorAll("input[data-sc-select-all]").forEach(function (all) {
    var id = all.dataset.scSelectAll;
    function boxes() {
      return Array.prototype.filter.call(
        document.querySelectorAll('input[type=checkbox][form="' + id + '"], #' + id + " input[type=checkbox]"),
        function (box) { return box !== all; });
    }
    all.addEventListener("change", function () { boxes().forEach(function (box) { box.checked = all.checked; }); });
  });
})();
