/* Choose the columns of the comparison table; macros/columns.py describes the
   design and renders the controls (`data-columns-chooser`) and the note of
   the pages that follow the choice (`data-columns-follow`), each with this
   script's tag at its end. macros/render.py marks the tables (`data-columns`)
   and each framework's cells (`data-fw`).

   The choice, the ids ticked, lives in the comparison page's address
   (`?frameworks=a,b`) and in localStorage, and neither holds it when every
   framework is ticked. The last ticked box stays ticked. A following page
   leaves out what the choice leaves out, unless that is all it shows. One
   CSS rule, set while the page is parsed, before the table, leaves the
   columns out, so nothing is drawn and then moved.

   Material's instant navigation runs this script again on each page that
   has it: it sets itself up once, then follows `document$`. */
(function () {
  "use strict";
  if (window.fwColumns) {
    return;
  }

  var ID = /^[a-z][a-z0-9-]*$/;
  var sheet = null;

  /* The framework ids in a list such as "a,b", each once and well formed, in
     the order of `known` (only those it holds) or, without it, as written. */
  function parseIds(text, known) {
    var seen = {};
    var ids = String(text || "").split(/[\s,]+/).filter(function (id) {
      var fresh = ID.test(id) && !seen[id];
      seen[id] = true;
      return fresh;
    });
    return known ? known.filter(function (id) { return ids.indexOf(id) !== -1; }) : ids;
  }

  function readStored(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage blocked: the choice lives in the address only
    }
  }

  function writeStored(key, ids) {
    try {
      if (ids) window.localStorage.setItem(key, ids.join(","));
      else window.localStorage.removeItem(key);
    } catch (error) {
      /* storage blocked or full: nothing to remember the choice in */
    }
  }

  /* Put `ids` in the address's `param`, or take the parameter out for null. */
  function writeUrl(param, ids) {
    var params = new URLSearchParams(window.location.search);
    if (ids) params.set(param, ids.join(","));
    else params.delete(param);
    // A comma needs no escaping in a query, and "a,b" is the address a reader shares.
    var query = params.toString().replace(/%2C/gi, ",");
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
  }

  /* Leave out, in every table that shows one of `chosen`, each framework's
     cells but theirs; null shows every column. One sheet for the document,
     so it outlives instant navigation, and each page view sets it anew. */
  function setRule(chosen) {
    var css = "";
    if (chosen && chosen.length) {
      var tables = chosen.map(function (id) { return '[data-columns~="' + id + '"]'; });
      var kept = chosen.map(function (id) { return '[data-fw="' + id + '"]'; });
      css = "table:is(" + tables.join(", ") + ") [data-fw]:not(" + kept.join(", ") + ") { display: none; }";
    }
    if (!sheet && "adoptedStyleSheets" in document && "replaceSync" in CSSStyleSheet.prototype) {
      sheet = new CSSStyleSheet();
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
    }
    if (sheet) {
      sheet.replaceSync(css);
      return;
    }
    var style = document.getElementById("fw-columns-style");
    if (!style) {
      style = document.createElement("style");
      style.id = "fw-columns-style";
      document.head.appendChild(style);
    }
    style.textContent = css;
  }

  function prose(items) {
    return items.length < 2 ? items.join("") : items.slice(0, -1).join(", ") + " and " + items[items.length - 1];
  }

  function namesOf(data) {
    var names = {};
    data.frameworks.forEach(function (fw) { names[fw.id] = fw.name; });
    return names;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* --- the controls, on the comparison page --------------------------------- */

  function setupChooser(box) {
    if (box.dataset.ready) return;
    var data = JSON.parse(box.dataset.columnsChooser);
    var known = data.frameworks.map(function (fw) { return fw.id; });
    var names = namesOf(data);
    var boxes = Array.prototype.slice.call(box.querySelectorAll('input[name="fw-column"]'));
    var status = box.querySelector(".fw-columns-status");

    function ticked() {
      return known.filter(function (id) {
        return boxes.some(function (input) { return input.value === id && input.checked; });
      });
    }

    function summary(chosen) {
      if (chosen.length === known.length) return "The table shows all " + known.length + " frameworks.";
      return "The table shows " + chosen.length + " of " + known.length + " frameworks: " +
        prose(chosen.map(function (id) { return names[id]; })) + ".";
    }

    function save(chosen) {
      var some = chosen.length < known.length ? chosen : null;
      setRule(some);
      writeStored(data.storage, some);
      writeUrl(data.param, some);
    }

    var chosen = parseIds(new URLSearchParams(window.location.search).get(data.param), known);
    if (!chosen.length) chosen = parseIds(readStored(data.storage), known);
    if (!chosen.length) chosen = known.slice();
    boxes.forEach(function (input) { input.checked = chosen.indexOf(input.value) !== -1; });
    save(chosen);
    if (chosen.length < known.length) status.textContent = summary(chosen);
    box.hidden = false;

    box.addEventListener("change", function (event) {
      var now = ticked();
      if (!now.length && event.target.name === "fw-column") {
        event.target.checked = true;
        status.textContent = "At least one framework stays in the table: " + names[event.target.value] + " is still shown.";
        return;
      }
      save(now);
      status.textContent = summary(now);
    });
    box.querySelector(".fw-columns-all").addEventListener("click", function () {
      boxes.forEach(function (input) { input.checked = true; });
      save(known);
      status.textContent = summary(known);
    });
    box.dataset.ready = "true";
  }

  /* --- the pages that follow the choice --------------------------------------- */

  /* What a following page leaves out: of the frameworks it shows, those the
     remembered choice leaves out, unless it leaves out all of them. */
  function followState(root) {
    var data = JSON.parse(root.dataset.columnsFollow);
    var page = data.frameworks.map(function (fw) { return fw.id; });
    var stored = parseIds(readStored(data.storage));
    var chosen = page.filter(function (id) { return stored.indexOf(id) !== -1; });
    var hidden = stored.length && chosen.length ? page.filter(function (id) { return chosen.indexOf(id) === -1; }) : [];
    return { data: data, stored: stored, chosen: chosen, hidden: hidden, names: namesOf(data) };
  }

  /* Leave the tabs of `hidden` out of each tab set of framework tabs, and take
     a set whose open tab goes to its first tab left. A set that would keep
     no framework tab keeps them all. */
  function applyTabs(hidden, names) {
    var byName = {};
    Object.keys(names).forEach(function (id) { byName[names[id]] = id; });
    document.querySelectorAll(".md-content .tabbed-set").forEach(function (set) {
      var tabs = [];
      set.querySelectorAll(":scope > .tabbed-labels > label").forEach(function (label) {
        var input = document.getElementById(label.htmlFor);
        var id = label.dataset.fw || byName[label.textContent.trim()];
        if (id && input) {
          label.dataset.fw = id;
          tabs.push({ id: id, label: label, input: input });
        }
      });
      var kept = tabs.filter(function (tab) { return hidden.indexOf(tab.id) === -1; });
      if (!kept.length) kept = tabs;
      tabs.forEach(function (tab) {
        var out = kept.indexOf(tab) === -1;
        // The radio button goes with its label: a button without its label would have no name.
        tab.label.classList.toggle("fw-col-hidden", out);
        tab.input.classList.toggle("fw-col-hidden", out);
        // A disabled radio button is skipped by the arrow keys, as its tab is by the eye.
        tab.input.disabled = out;
      });
      var open = tabs.filter(function (tab) { return tab.input.checked; })[0];
      if (open && open.input.disabled) kept[0].input.click();
    });
  }

  function setupFollow(root) {
    if (root.dataset.ready) return;
    var state = followState(root);
    var data = state.data;
    var note = root.querySelector(".fw-columns-note");
    var choice = data.root + "comparison/?" + data.param + "=" + state.stored.join(",");
    root.dataset.ready = "true";
    note.textContent = "";
    if (!state.hidden.length) {
      setRule(null);
      if (state.stored.length && !state.chosen.length) {
        // The choice leaves out every framework here: this page leaves out none, and says why.
        var none = el("p", {}, "None of the frameworks you chose in the full comparison is in " + data.place +
          ", so it shows them all. ");
        none.appendChild(el("a", { href: choice }, "See your choice"));
        note.appendChild(none);
      }
      return;
    }
    setRule(state.chosen);
    var names = state.hidden.map(function (id) { return state.names[id]; });
    var text = el("p", {}, "Following your choice in the full comparison, " + prose(names) +
      (names.length === 1 ? " is" : " are") + " left out of " + data.place + ". ");
    var button = el("button", { type: "button", "class": "md-button fw-columns-show" }, "Show all frameworks");
    text.appendChild(button);
    text.appendChild(document.createTextNode(" "));
    text.appendChild(el("a", { href: choice }, "Change the choice"));
    note.appendChild(text);
    button.addEventListener("click", function () {
      writeStored(data.storage, null);
      setRule(null);
      applyTabs([], state.names);
      note.textContent = "";
      note.appendChild(el("p", {}, "Every framework is shown again, here and in the full comparison."));
      note.focus();
    });
  }

  /* --- every page view --------------------------------------------------------- */

  function init() {
    var chooser = document.querySelector("[data-columns-chooser]");
    var follow = document.querySelector("[data-columns-follow]");
    if (chooser) setupChooser(chooser);
    if (follow) {
      setupFollow(follow);
      var state = followState(follow);
      applyTabs(state.hidden, state.names);
    }
    if (!chooser && !follow) setRule(null);
  }

  window.fwColumns = { parseIds: parseIds, init: init };

  // While the page is parsed, the element this script sits in is complete and
  // what follows it is not yet drawn: set up the controls or the note now.
  var here = document.currentScript && document.currentScript.closest("[data-columns-chooser], [data-columns-follow]");
  if (here && here.hasAttribute("data-columns-chooser")) setupChooser(here);
  else if (here) setupFollow(here);

  function follow() {
    if (typeof document$ !== "undefined") document$.subscribe(init);
    else init();
  }
  // On a first load Material's bundle comes after this script: document$ exists once the page is parsed.
  if (typeof document$ !== "undefined" || document.readyState !== "loading") follow();
  else document.addEventListener("DOMContentLoaded", follow, { once: true });
})();
