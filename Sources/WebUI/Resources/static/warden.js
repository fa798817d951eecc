// Small progressive enhancements; every page works without them.
"use strict";

// Times: shown in the viewer's time zone, with UTC on hover (the server writes UTC).
function localizeTimes(root) {
  for (const element of root.querySelectorAll("time[datetime]")) {
    const when = new Date(element.getAttribute("datetime"));
    if (isNaN(when)) continue;
    element.title = element.getAttribute("datetime").replace("T", " ");
    element.textContent = when.toLocaleString(undefined, {
      year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
  }
}

// Filter boxes marked data-check-filter="<catalog>": checked as the user types, the server's message shown beside the box.
function checkFiltersAsTyped(root) {
  for (const input of root.querySelectorAll("input[data-check-filter]")) {
    const output = document.getElementById(input.getAttribute("aria-describedby"));
    if (!output) continue;
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const query = new URLSearchParams({ catalog: input.dataset.checkFilter, filter: input.value });
        try {
          const response = await fetch("/ui/filter_check?" + query, { headers: { Accept: "application/json" } });
          const result = await response.json();
          output.textContent = result.ok ? "" : result.message;
          input.setAttribute("aria-invalid", result.ok ? "false" : "true");
        } catch (error) {
          output.textContent = "";
        }
      }, 250);
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  localizeTimes(document);
  checkFiltersAsTyped(document);
});
