// Bullpen search: loads this build's index once, as a script
// (search-index.js, which defines window.bullpenSearchIndex), so search
// works when the site is opened straight from disk as well as served.
// Every word typed must start a word of the page; a match in the title
// ranks above one in a heading, which ranks above one in the text. Each
// result shows the matched text with the words marked. The index holds
// only pages of this audience's build. Keyboard: type, ArrowDown into the
// results, Escape to close.
(function () {
  "use strict";
  var GLOBAL = "bullpenSearchIndex";
  var box = document.querySelector(".search");
  if (!box) return;
  var root = box.getAttribute("data-root") || "";
  var input = box.querySelector("input");
  var list = box.querySelector("ul");
  var status = box.querySelector("[aria-live]");
  var loading = null;

  // A word starts after anything that is not a letter or a digit.
  var WORD = /[\p{L}\p{N}]+/gu;
  function wordsOf(text) { return (text.toLowerCase().match(WORD) || []); }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function prepare(entries) {
    return entries.map(function (e) {
      return {
        e: e,
        title: wordsOf(e.t),
        headings: wordsOf(e.h || ""),
        text: " " + (e.w || "") + " " + wordsOf(e.b || "").join(" ") + " ",
      };
    });
  }

  // One load, however fast the keys come: a script element, which file://
  // allows where fetch is refused.
  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window[GLOBAL]) { resolve(prepare(window[GLOBAL])); return; }
        var script = document.createElement("script");
        script.src = root + "search-index.js";
        script.onload = function () { resolve(prepare(window[GLOBAL] || [])); };
        script.onerror = function () { loading = null; reject(new Error("search index not found")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function startsAWord(words, term) {
    for (var i = 0; i < words.length; i++) {
      if (words[i].lastIndexOf(term, 0) === 0) return words[i] === term ? 2 : 1;
    }
    return 0;
  }

  // How well a page matches, or 0 when some term matches nowhere. A whole
  // word counts a little more than a prefix of one.
  function score(item, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i];
      var inTitle = startsAWord(item.title, term);
      var inHeading = startsAWord(item.headings, term);
      var inText = item.text.indexOf(" " + term) !== -1 ? 1 : 0;
      if (!inTitle && !inHeading && !inText) return 0;
      total += inTitle * 50 + inHeading * 10 + inText;
    }
    return total;
  }

  function pattern(terms) {
    return new RegExp("(?<![\\p{L}\\p{N}])(" + terms.map(escapeRegExp).join("|") + ")", "giu");
  }

  // Up to about 160 characters of the text around the first matched word,
  // or the entry's own snippet when the text has none.
  function context(item, terms) {
    var text = item.e.b || "";
    var found = pattern(terms).exec(text);
    if (!found) return item.e.x;
    var from = Math.max(0, found.index - 50);
    var to = Math.min(text.length, found.index + 110);
    if (from > 0) { var space = text.indexOf(" ", from); if (space !== -1 && space < found.index) from = space + 1; }
    if (to < text.length) { var end = text.lastIndexOf(" ", to); if (end > found.index) to = end; }
    return (from > 0 ? "…" : "") + text.slice(from, to) + (to < text.length ? "…" : "");
  }

  // Text with each matched word marked: text nodes and <mark> elements,
  // never markup from the index.
  function marked(parent, text, terms) {
    var re = pattern(terms);
    var at = 0;
    var found;
    while ((found = re.exec(text)) !== null) {
      if (found[0] === "") { re.lastIndex += 1; continue; }
      parent.appendChild(document.createTextNode(text.slice(at, found.index)));
      var mark = document.createElement("mark");
      mark.textContent = found[0];
      parent.appendChild(mark);
      at = found.index + found[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function show(results, query, terms) {
    list.textContent = "";
    results.slice(0, 8).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + item.e.u;
      var title = document.createElement("strong");
      marked(title, item.e.t, terms);
      var section = document.createElement("span");
      section.className = "muted";
      section.textContent = " · " + item.e.s;
      var snippet = document.createElement("span");
      snippet.className = "snippet";
      marked(snippet, context(item, terms), terms);
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
    var query = input.value.trim();
    var terms = wordsOf(query);
    if (terms.length === 0) { show([], "", []); return; }
    load().then(function (items) {
      // A later keystroke has its own search: never show stale results.
      if (input.value.trim() !== query) return;
      var found = [];
      items.forEach(function (item) {
        var points = score(item, terms);
        if (points > 0) found.push({ item: item, points: points });
      });
      found.sort(function (a, b) { return b.points - a.points || a.item.e.t.localeCompare(b.item.e.t); });
      show(found.map(function (f) { return f.item; }), query, terms);
    }, function () {
      status.textContent = "Search is unavailable: search-index.js is missing.";
    });
  }

  input.addEventListener("input", search);
  // Start loading as soon as the reader heads for the box.
  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      var first = list.querySelector("a");
      if (first) { event.preventDefault(); first.focus(); }
    } else if (event.key === "Escape") {
      input.value = "";
      show([], "", []);
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < links.length - 1) { event.preventDefault(); links[at + 1].focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? links[at - 1] : input).focus(); }
    if (event.key === "Escape") { input.focus(); input.value = ""; show([], "", []); }
  });
})();
