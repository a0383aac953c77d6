// Grey's operator dashboard: polls GET /api/v1/overview with the operator's token and renders three tables.
// Values are written with textContent only, so nothing from the server is ever parsed as HTML.
(function () {
  "use strict";

  var TOKEN_KEY = "grey.token";
  var params = new URLSearchParams(window.location.search);
  // ?refresh=N (1-300 s) overrides the default period of 5 s.
  var seconds = Math.min(300, Math.max(1, parseInt(params.get("refresh") || "5", 10) || 5));
  var timer = null;

  function fixed(value, digits, scale) {
    if (value === null || value === undefined) {
      return "\u2014";
    }
    return (value * (scale || 1)).toFixed(digits);
  }

  function cell(row, text, className, raw) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    if (raw !== undefined) {
      td.setAttribute("data-value", raw === null ? "" : String(raw));
    }
    row.appendChild(td);
    return td;
  }

  function fill(tableId, rows, columns, render) {
    var body = document.querySelector("#" + tableId + " tbody");
    body.textContent = "";
    if (rows.length === 0) {
      var tr = document.createElement("tr");
      var td = cell(tr, "none", "empty");
      td.colSpan = columns;
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (item) {
      var tr = document.createElement("tr");
      render(tr, item);
      body.appendChild(tr);
    });
  }

  function render(overview) {
    fill("stores", overview.stores, 5, function (tr, s) {
      tr.setAttribute("data-store", s.name);
      cell(tr, s.name);
      cell(tr, s.status, "status-" + s.status);
      cell(tr, fixed(s.latency_p50_ms, 2), "number", s.latency_p50_ms);
      cell(tr, fixed(s.latency_p99_ms, 2), "number", s.latency_p99_ms);
      cell(tr, fixed(s.error_rate, 2, 100), "number", s.error_rate);
    });
    fill("replication", overview.replication, 3, function (tr, r) {
      tr.setAttribute("data-target", r.target);
      cell(tr, r.target);
      cell(tr, String(r.queue_depth), "number", r.queue_depth);
      cell(tr, fixed(r.lag_seconds, 1), "number", r.lag_seconds);
    });
    fill("tenants", overview.tenants, 3, function (tr, t) {
      tr.setAttribute("data-tenant", t.tenant);
      var ratio = t.budget_used_ratio;
      if (ratio !== null && ratio >= 1) {
        tr.className = "budget-critical";
      } else if (ratio !== null && ratio >= 0.8) {
        tr.className = "budget-warning";
      }
      cell(tr, t.tenant);
      cell(tr, fixed(t.month_to_date_usd, 2), "number", t.month_to_date_usd);
      cell(tr, fixed(ratio, 1, 100), "number", ratio);
    });
    var generated = document.getElementById("generated");
    generated.textContent = overview.generated_at;
    generated.setAttribute("datetime", overview.generated_at);
  }

  function setState(text, failed) {
    var state = document.getElementById("state");
    state.textContent = text;
    state.className = failed ? "error" : "";
  }

  function refresh() {
    var token = window.sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      return;
    }
    fetch("/api/v1/overview", { headers: { "Authorization": "Bearer " + token }, cache: "no-store" })
      .then(function (response) {
        if (response.status === 401) {
          throw new Error("the token was refused");
        }
        if (!response.ok) {
          throw new Error("the server answered " + response.status);
        }
        return response.json();
      })
      .then(function (overview) {
        render(overview);
        setState("Connected.", false);
      })
      .catch(function (error) {
        setState("Cannot load the overview: " + error.message + ".", true);
      });
  }

  function start() {
    document.getElementById("interval").textContent = String(seconds);
    document.getElementById("login").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("token");
      // sessionStorage, not localStorage: the token is forgotten when the tab closes.
      window.sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      input.value = "";
      refresh();
    });
    refresh();
    timer = window.setInterval(refresh, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", start);
})();
