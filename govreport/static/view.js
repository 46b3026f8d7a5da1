// govreport view: point at a diagnostic to see its cells, click a cell or a
// diagnostic to see the source lines it came from. No request is made; the
// source is read from the page's own JSON, and written as text, never as HTML.
(function () {
  "use strict";
  var excerpt = document.getElementById("excerpt");
  var where = document.getElementById("excerpt-where");
  var text = document.getElementById("excerpt-text");
  var sources = {};

  function source(article) {
    var role = article.getAttribute("data-role");
    if (!(role in sources)) {
      var element = document.getElementById("source-" + role);
      sources[role] = element ? JSON.parse(element.textContent) : null;
    }
    return sources[role];
  }

  function cellsOf(article, ids) {
    var found = [];
    ids.split(" ").forEach(function (id) {
      if (!id) return;
      article.querySelectorAll('td.v[data-cell="' + CSS.escape(id) + '"]').forEach(function (td) { found.push(td); });
    });
    return found;
  }

  function clear(selector, name) {  // the legend's swatches keep their classes
    document.querySelectorAll(selector + "." + name).forEach(function (e) { e.classList.remove(name); });
  }

  function highlight(article, ids) {
    clear("td", "hl");
    cellsOf(article, ids).forEach(function (td) { td.classList.add("hl"); });
  }

  function show(article, span, label) {
    var lines = source(article);
    if (!span) return;
    var p = span.split(" ").map(Number);  // line column end_line end_column, 1-based
    where.textContent = label + " · line " + p[0] + ", column " + p[1];
    text.textContent = "";
    if (!lines) {
      text.textContent = "(the source text is not in this page)";
    } else {
      var first = Math.max(1, p[0] - 2), last = Math.min(lines.length, p[2] + 2);
      for (var n = first; n <= last; n++) {
        var line = lines[n - 1], number = document.createElement("span");
        number.className = "ln";
        number.textContent = n;
        text.appendChild(number);
        var start = n === p[0] ? p[1] - 1 : n > p[0] && n <= p[2] ? 0 : -1;
        var end = n === p[2] ? p[3] - 1 : line.length;
        if (start >= 0 && end > start) {
          text.appendChild(document.createTextNode(line.slice(0, start)));
          var mark = document.createElement("mark");
          mark.textContent = line.slice(start, end);
          text.appendChild(mark);
          text.appendChild(document.createTextNode(line.slice(end) + "\n"));
        } else {
          text.appendChild(document.createTextNode(line + "\n"));
        }
      }
    }
    excerpt.hidden = false;
  }

  document.querySelectorAll("li.dx, li.st").forEach(function (li) {
    var article = li.closest("article");
    function on() { highlight(article, li.getAttribute("data-cells")); }
    li.addEventListener("mouseenter", on);
    li.addEventListener("focus", on);
    li.addEventListener("click", function () {
      clear("li", "active");
      li.classList.add("active");
      on();
      show(article, li.getAttribute("data-span"), li.getAttribute("data-code"));
    });
  });
  document.querySelectorAll("td.v").forEach(function (td) {
    td.addEventListener("click", function () {
      clear("td", "here");
      td.classList.add("here");
      show(td.closest("article"), td.getAttribute("data-span"), td.getAttribute("data-cell"));
    });
  });
  document.querySelectorAll("tr.carry").forEach(function (tr) {
    tr.addEventListener("click", function () {
      clear("td", "hl");
      document.querySelectorAll("article").forEach(function (article) {
        cellsOf(article, tr.getAttribute("data-cells")).forEach(function (td) { td.classList.add("hl"); });
      });
    });
  });
  var close = document.getElementById("excerpt-close");
  if (close) close.addEventListener("click", function () { excerpt.hidden = true; });
})();
