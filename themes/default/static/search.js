// Bullpen search: loads this build's search-index.json once and shows the
// pages whose title or words start with every term typed. No server; the
// index holds only pages of this audience's build. Keyboard: type, ArrowDown
// into the results, Escape to close.
(function () {
  "use strict";
  var box = document.querySelector(".search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "";
  var input = box.querySelector("input");
  var list = box.querySelector("ul");
  var status = box.querySelector("[aria-live]");
  var loading = null;

  // One fetch, however fast the keys come.
  function load() {
    if (!loading) {
      loading = fetch(root + "search-index.json")
        .then(function (r) { return r.json(); })
        .then(function (entries) {
          return entries.map(function (e) {
            return { e: e, title: e.t.toLowerCase(), words: (" " + e.w + " ") };
          });
        });
    }
    return loading;
  }

  function matches(item, terms) {
    return terms.every(function (term) {
      return item.title.indexOf(term) !== -1 || item.words.indexOf(" " + term) !== -1;
    });
  }

  function show(results, query) {
    list.textContent = "";
    results.slice(0, 8).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + item.e.u;
      var title = document.createElement("strong");
      title.textContent = item.e.t;
      var section = document.createElement("span");
      section.className = "muted";
      section.textContent = " · " + item.e.s;
      var snippet = document.createElement("span");
      snippet.className = "snippet";
      snippet.textContent = item.e.x;
      a.appendChild(title);
      a.appendChild(section);
      a.appendChild(snippet);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = query === "";
    status.textContent = query === "" ? "" : results.length + (results.length === 1 ? " result" : " results");
    if (query !== "" && results.length === 0) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = "Nothing matches “" + query + "”.";
      list.appendChild(none);
    }
  }

  function search() {
    var query = input.value.trim().toLowerCase();
    if (query === "") { show([], ""); return; }
    var terms = query.split(/\s+/);
    load().then(function (items) {
      // A later keystroke has its own search: never show stale results.
      if (input.value.trim().toLowerCase() !== query) return;
      var found = items.filter(function (item) { return matches(item, terms); });
      found.sort(function (a, b) {
        var at = terms.every(function (t) { return a.title.indexOf(t) !== -1; }) ? 0 : 1;
        var bt = terms.every(function (t) { return b.title.indexOf(t) !== -1; }) ? 0 : 1;
        return at - bt || a.e.t.localeCompare(b.e.t);
      });
      show(found, query);
    });
  }

  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      input.value = "";
      show([], "");
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    if (event.key === "Escape") { input.focus(); input.value = ""; show([], ""); }
  });
})();
