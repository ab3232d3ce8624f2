/* The framework chooser. Scoring mirrors macros/chooser.py; tests/chooser_cases.json
   feeds both. Loaded only by the chooser page; safe to load more than once. */
(function () {
  "use strict";
  if (window.fwChooser) {
    return;
  }

  var POINTS = { yes: 2, partly: 1, no: 0 };
  var WEIGHTS = { must: 3, nice: 1 };

  /* Rank frameworks for a selection {need id: "must" | "nice"}; unknown ids are ignored. */
  function score(data, selection) {
    var needs = data.needs.filter(function (n) {
      return Object.prototype.hasOwnProperty.call(WEIGHTS, selection[n.id]);
    });
    var results = data.frameworks.map(function (fw) {
      var total = 0, best = 0, misses = [], stretches = [];
      needs.forEach(function (need) {
        var weight = WEIGHTS[selection[need.id]];
        var level = need.support[fw.id].level;
        total += weight * POINTS[level];
        best += weight * POINTS.yes;
        if (selection[need.id] === "must") {
          if (level === "no") misses.push(need.id);
          else if (level === "partly") stretches.push(need.id);
        }
      });
      return { id: fw.id, score: total, max: best, misses: misses, stretches: stretches };
    });
    function byScore(a, b) { return b.score - a.score; }
    var eligible = results.filter(function (r) { return r.misses.length === 0; }).sort(byScore);
    var ruledOut = results.filter(function (r) { return r.misses.length > 0; }).sort(byScore);
    eligible.forEach(function (r) {
      r.rank = 1 + eligible.filter(function (o) { return o.score > r.score; }).length;
    });
    ruledOut.forEach(function (r) { r.rank = null; });
    var hasMust = needs.some(function (n) { return selection[n.id] === "must"; });
    return {
      ranking: eligible.concat(ruledOut),
      none_meet_musts: hasMust && eligible.length === 0,
      selected: needs.map(function (n) { return n.id; })
    };
  }

  var LEVEL_WORDS = { yes: "yes", partly: "with extra setup", no: "no" };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readSelection(form) {
    var selection = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      if (input.value) selection[input.name.replace(/^need-/, "")] = input.value;
    });
    return selection;
  }

  function selectionFromUrl(data) {
    var params = new URLSearchParams(window.location.search);
    var known = {};
    data.needs.forEach(function (n) { known[n.id] = true; });
    var selection = {};
    ["nice", "must"].forEach(function (kind) {
      (params.get(kind) || "").split(",").forEach(function (id) {
        if (known[id]) selection[id] = kind;
      });
    });
    return selection;
  }

  function writeUrl(selection) {
    var params = new URLSearchParams(window.location.search);
    ["must", "nice"].forEach(function (kind) {
      var ids = Object.keys(selection).filter(function (id) { return selection[id] === kind; });
      if (ids.length) params.set(kind, ids.join(","));
      else params.delete(kind);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  }

  function render(root, data, selection) {
    var result = score(data, selection);
    var list = root.querySelector("#fw-chooser-ranking");
    var status = root.querySelector("#fw-chooser-status");
    var names = {}, needs = {}, examples = {};
    data.frameworks.forEach(function (fw) { names[fw.id] = fw.name; examples[fw.id] = fw.examples || []; });
    data.needs.forEach(function (n) { needs[n.id] = n; });
    list.textContent = "";
    if (result.selected.length === 0) {
      status.textContent = "Tick the needs of your project to rank the frameworks.";
      return result;
    }
    result.ranking.forEach(function (entry) {
      var item = el("li", { "class": "fw-choice" + (entry.rank === null ? " fw-choice--out" : ""), "data-framework": entry.id });
      var heading = el("h3");
      var link = el("a", { href: data.root + "frameworks/" + entry.id + "/" }, names[entry.id]);
      heading.appendChild(link);
      heading.appendChild(document.createTextNode(
        entry.rank === null ? ": ruled out" : ": " + entry.score + " of " + entry.max + " points"
      ));
      item.appendChild(heading);
      if (entry.misses.length) {
        item.appendChild(el("p", { "class": "fw-choice-why" }, "Does not meet the must have: " +
          entry.misses.map(function (id) { return needs[id].label; }).join(", ") + "."));
      }
      var reasons = el("ul");
      result.selected.forEach(function (id) {
        var need = needs[id];
        var support = need.support[entry.id];
        var li = el("li", { "class": "fw-level-" + support.level });
        li.appendChild(el("strong", {}, need.label + ": " + LEVEL_WORDS[support.level]));
        li.appendChild(document.createTextNode(" (" + support.note + ")"));
        if (need.aspect) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("a", { href: data.root + "comparison/#aspect-" + need.aspect }, "table row"));
        }
        if (need.example && examples[entry.id].indexOf(need.example) !== -1) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(el("a", { href: data.root + "same-api/#task-" + need.example }, "example code"));
        }
        reasons.appendChild(li);
      });
      item.appendChild(reasons);
      list.appendChild(item);
    });
    if (result.none_meet_musts) {
      status.textContent = "No framework meets every must have. Each one below misses at least one; " +
        "consider making one of them a nice to have.";
    } else {
      var top = result.ranking.filter(function (r) { return r.rank === 1; });
      status.textContent = "Best match: " + top.map(function (r) { return names[r.id]; }).join(" and ") +
        ", with " + top[0].score + " of " + top[0].max + " points.";
    }
    return result;
  }

  function init() {
    var root = document.getElementById("fw-chooser");
    if (!root || !root.dataset.chooser || root.dataset.ready) return;
    var data = JSON.parse(root.dataset.chooser);
    var form = root.querySelector("form");
    var selection = selectionFromUrl(data);
    Object.keys(selection).forEach(function (id) {
      var input = form.querySelector('input[name="need-' + id + '"][value="' + selection[id] + '"]');
      if (input) input.checked = true;
    });
    root.hidden = false;
    var fallback = document.getElementById("fw-chooser-fallback");
    if (fallback) fallback.hidden = true;
    function update() {
      var current = readSelection(form);
      writeUrl(current);
      render(root, data, current);
    }
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    render(root, data, selection);
    root.dataset.ready = "true";
  }

  window.fwChooser = { score: score, init: init };
  // Material's instant navigation swaps pages without a reload: init on every page view.
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    init();
  }
})();
