/* Kennisbank Zoeken: progressive enhancements. Everything works without this file; it adds
   suggestions while typing (an ARIA 1.2 combobox), a copy button for citations and a collapsible
   filter panel on narrow screens. No third-party code, no inline script (the CSP forbids it). */
(function () {
  "use strict";

  function suggestions(form) {
    var input = form.querySelector("input[name=q]");
    var box = form.querySelector(".search-box");
    var url = form.getAttribute("data-suggest-url");
    if (!input || !box || !url || !window.fetch) { return; }

    var list = document.createElement("ul");
    list.id = input.id + "-suggesties";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggesties");
    list.hidden = true;
    box.appendChild(list);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      close();
      if (item.kind === "titel") {
        window.location.assign(item.url);
      } else {
        input.value = item.text;
        form.submit();
      }
    }

    function render(data) {
      // Keep the option the visitor highlighted if a newer answer still holds it.
      var kept = active >= 0 && items[active] ? items[active].text : null;
      list.removeAttribute("aria-busy");
      items = data.suggestions || [];
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "suggestion suggestion-" + item.kind;
        var text = document.createElement("span");
        text.className = "suggestion-text";
        text.textContent = item.text;
        li.appendChild(text);
        var kind = document.createElement("span");
        kind.className = "suggestion-kind";
        kind.textContent = item.kind === "titel" ? "document" : "zoekterm";
        li.appendChild(kind);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { choose(i); });
        list.appendChild(li);
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        for (var k = 0; kept !== null && k < items.length; k++) {
          if (items[k].text === kept) { highlight(k); break; }
        }
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + (items.length === 1 ? " suggestie" : " suggesties") +
          " beschikbaar; gebruik pijl omlaag en omhoog om te kiezen.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) { list.removeAttribute("aria-busy"); return; }
      lastQuery = q;
      if (q.length < 2) { items = []; list.removeAttribute("aria-busy"); close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      }).then(function (data) {
        if (input.value.trim() === q && document.activeElement === input) { render(data); } else { list.removeAttribute("aria-busy"); }
      }).catch(function () {
        list.removeAttribute("aria-busy");  // aborted or offline: the search still works without suggestions
      });
    }

    input.addEventListener("input", function () {
      list.setAttribute("aria-busy", "true");  // an answer for the new text is on its way
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, 150);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          // Reopen: show what we have for this text; ask the server only when the text changed.
          if (items.length && input.value.trim() === lastQuery) { render({ suggestions: items }); } else { fetchSuggestions(); }
          return;
        }
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp") {
        if (!open) { return; }
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function copyButtons() {
    var buttons = document.querySelectorAll("[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = button.parentNode.querySelector(".copy-status");
      if (!field) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        function done() { if (status) { status.textContent = "Het citaat is gekopieerd."; } }
        field.select();
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(field.value).then(done, function () {
            if (status) { status.textContent = "Kopiëren lukte niet; de tekst is geselecteerd, kopieer met Ctrl+C."; }
          });
        } else {
          try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
        }
      });
    });
  }

  function filterPanel() {
    var panel = document.querySelector("details.facet-panel");
    if (!panel || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 48rem)");
    function apply() { panel.open = !narrow.matches; }
    apply();
    if (narrow.addEventListener) { narrow.addEventListener("change", apply); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-suggest-url]"), suggestions);
    copyButtons();
    filterPanel();
  });
}());
