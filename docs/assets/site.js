/* Page behaviour for the comparison site.
 *
 * Material's instant navigation swaps the page content without reloading, so
 * nothing here waits for DOMContentLoaded: each part runs from document$, which
 * emits on the first load and again after every instant navigation.
 */
(function () {
  "use strict";

  var HINT_TEXT = "Scroll sideways to see every column";

  // One observer for the current page's tables; replaced on each navigation.
  var resizes = null;

  /* Mark a table container that is wider than the screen and show its hint. */
  function markOverflow(box, overflows) {
    box.setAttribute("data-overflow", overflows ? "true" : "false");
    var hint = box.previousElementSibling;
    if (hint && hint.classList.contains("fw-scroll-hint")) {
      hint.hidden = !overflows;
    }
  }

  /* Give a container its (visual-only) hint; the region keeps its own label. */
  function addHint(box) {
    var previous = box.previousElementSibling;
    if (previous && previous.classList.contains("fw-scroll-hint")) {
      return;
    }
    var hint = document.createElement("p");
    hint.className = "fw-scroll-hint";
    hint.setAttribute("aria-hidden", "true");
    hint.hidden = true;
    hint.textContent = HINT_TEXT;
    box.parentNode.insertBefore(hint, box);
  }

  function watchTables() {
    if (resizes) {
      resizes.disconnect();
    }
    // Only a box in its frame (macros/render.py, scroll_region) has room for the hint.
    var boxes = document.querySelectorAll(".fw-scroll-frame > .fw-scroll");
    boxes.forEach(addHint);
    // The observer reports every box once at the start and again on each
    // resize, after layout: measure them all, then mark them all, so a page
    // with many tables costs one layout, not one per table.
    resizes = new ResizeObserver(function (entries) {
      var overflows = entries.map(function (entry) {
        return entry.target.scrollWidth > entry.target.clientWidth + 1;
      });
      entries.forEach(function (entry, index) {
        markOverflow(entry.target, overflows[index]);
      });
    });
    boxes.forEach(function (box) {
      resizes.observe(box);
    });
  }

  /* Material wraps each code block's copy button in an unnamed <nav>. A copy
   * button is not site navigation, and several unnamed nav landmarks on one
   * page cannot be told apart (axe rule landmark-unique): drop the landmark
   * role and keep the button. */
  function unlandmarkCodeButtons() {
    document.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }

  /* With many frameworks, a row of content tabs is wider than the page and its
   * labels (not focusable themselves) scroll sideways: make the row a tab stop,
   * so a keyboard can scroll it too (axe rule scrollable-region-focusable). */
  function focusableTabRows() {
    document.querySelectorAll(".tabbed-labels").forEach(function (row) {
      if (row.scrollWidth > row.clientWidth) {
        row.setAttribute("tabindex", "0");
      } else {
        row.removeAttribute("tabindex");
      }
    });
  }

  /* The header's drawer button is a <label> for a hidden checkbox, which no
   * keyboard can reach: below 76.25em (phones, tablets, a zoomed-in desktop)
   * the site navigation was mouse- and touch-only. Swap the label for a real
   * button that toggles the same checkbox (without JavaScript the label stays). */
  function drawerButton() {
    var toggle = document.getElementById("__drawer");
    var button = document.querySelector(".md-header .fw-drawer-button");
    var label = document.querySelector('.md-header label.md-header__button[for="__drawer"]');
    if (!toggle || (!button && !label)) {
      return;
    }
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = label.className + " fw-drawer-button";
      button.setAttribute("aria-label", "Navigation");
      while (label.firstChild) {
        button.appendChild(label.firstChild);
      }
      label.replaceWith(button);
      button.addEventListener("click", function (event) {
        toggle.click();
        var first = document.querySelector(".md-sidebar--primary a[href]");
        // Opened from the keyboard (a click without a pointer): move into it.
        if (toggle.checked && event.detail === 0 && first) {
          first.focus();
        }
      });
      toggle.addEventListener("change", function () {
        button.setAttribute("aria-expanded", String(toggle.checked));
      });
      document.addEventListener("keydown", function (event) {
        var inDrawer = document.activeElement && document.activeElement.closest(".md-sidebar--primary");
        if (event.key === "Escape" && toggle.checked && inDrawer) {
          toggle.click();
          button.focus();
        }
      });
    }
    // Material closes the drawer on navigation without a change event.
    button.setAttribute("aria-expanded", String(toggle.checked));
  }

  /* The skip link points at the page's first heading, which cannot take focus,
   * and instant navigation handles the same-page link by rendering the page
   * anew: focus stayed on <body>. Move focus to the heading instead, before
   * Material sees the click (capture phase on window). */
  window.addEventListener(
    "click",
    function (event) {
      var link = event.target.closest && event.target.closest("a.md-skip");
      var target = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      if (!target.hasAttribute("tabindex")) {
        target.setAttribute("tabindex", "-1");
      }
      target.focus();
    },
    true
  );

  document$.subscribe(function () {
    watchTables();
    unlandmarkCodeButtons();
    drawerButton();
    focusableTabRows();
  });
  window.addEventListener("resize", focusableTabRows);
})();
