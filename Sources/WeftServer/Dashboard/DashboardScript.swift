/// The dashboard's script. It reads only the analyst API, builds every element with `createElement` and sets
/// API values as text (never as markup), and marks the root element with `data-page`, `data-ready` and
/// `data-errors` so that the browser tests can tell when a page has rendered and whether anything failed.
enum DashboardScript {
    static let source = #"""
        "use strict";
        const root = document.documentElement;
        const loginForm = document.getElementById("login");
        let token = sessionStorage.getItem("weft-token") || "";
        let errors = 0;

        function reportError(message) {
          errors += 1;
          root.dataset.errors = String(errors);
          document.getElementById("alert").textContent = message;
          console.error(message);
        }
        window.addEventListener("error", (event) => reportError(event.message));
        window.addEventListener("unhandledrejection", (event) =>
          reportError(String((event.reason && event.reason.message) || event.reason)));

        function el(tag, attributes, ...children) {
          const node = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes || {})) {
            if (value === undefined || value === null) continue;
            if (name === "text") node.textContent = String(value);
            else if (name === "data") Object.assign(node.dataset, value);
            else node.setAttribute(name, String(value));
          }
          for (const child of children) if (child) node.append(child);
          return node;
        }

        function table(caption, headers, rows) {
          const head = el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })));
          return el("table", {}, el("caption", { text: caption }), el("thead", {}, head), el("tbody", {}, ...rows));
        }

        function cell(value, field, numeric) {
          return el("td", { text: value, class: numeric ? "number" : undefined, data: field ? { field } : undefined });
        }

        class SignInNeeded extends Error {}

        async function api(path) {
          const response = await fetch(path, { headers: { Authorization: "Bearer " + token } });
          if (response.status === 401) throw new SignInNeeded();
          if (!response.ok) throw new Error(path + ": HTTP " + response.status + " " + (await response.text()));
          return response.json();
        }

        function offset(hours) {
          return hours === null || hours === undefined ? "-" : "UTC" + (hours >= 0 ? "+" : "") + hours;
        }

        function days(first, last) {
          const out = [];
          for (let t = Date.parse(first + "T00:00:00Z"); t <= Date.parse(last + "T00:00:00Z"); t += 86400000) {
            out.push(new Date(t).toISOString().slice(0, 10));
          }
          return out;
        }

        function shade(level, max) {
          const alpha = max > 0 ? 0.08 + 0.92 * (level / max) : 0;
          return "rgba(47, 111, 159, " + alpha.toFixed(2) + ")";
        }

        async function operationsPage(params) {
          const query = new URLSearchParams();
          for (const name of ["min_platforms", "label", "since"]) if (params.get(name)) query.set(name, params.get(name));
          const data = await api("/api/v1/operations?" + query.toString());
          const form = el("form", { class: "filters", role: "search" },
            el("label", { for: "min_platforms", text: "Platforms at least" }),
            el("input", { id: "min_platforms", name: "min_platforms", type: "number", min: 1, value: params.get("min_platforms") || 1 }),
            el("label", { for: "label", text: "Label" }),
            el("input", { id: "label", name: "label", value: params.get("label") || "", placeholder: "disarm:1.6:T0084.001" }),
            el("label", { for: "since", text: "Seen since" }),
            el("input", { id: "since", name: "since", type: "date", value: params.get("since") || "" }),
            el("button", { type: "submit", text: "Filter" }));
          form.addEventListener("submit", (event) => {
            event.preventDefault();
            const next = new URLSearchParams();
            for (const [name, value] of new FormData(form)) if (value) next.set(name, value);
            location.hash = "#/operations?" + next.toString();
          });
          const rows = data.operations.map((op) =>
            el("tr", { data: { operation: op.id } },
              el("td", {}, el("a", { href: "#/operation/" + op.id, text: op.id })),
              cell(op.platforms.length, "platforms", true), cell(op.cases.length, "cases", true),
              cell(op.first_seen, "first_seen"), cell(op.last_seen, "last_seen"),
              cell(op.families.join(", "), "families"), cell(offset(op.best_fit_utc_offset), "offset"),
              cell(op.confidence.toFixed(2), "confidence", true)));
          return [el("h1", { text: "Operations" }), form,
            el("p", { text: data.operations.length + " operations", data: { field: "count" } }),
            table("Operations found by the merge", ["Operation", "Platforms", "Cases", "First seen", "Last seen",
              "Evidence kinds", "Office time", "Confidence"], rows)];
        }

        function activityMatrix(detail) {
          const op = detail.operation;
          const span = days(op.first_seen, op.last_seen);
          const counts = new Map(detail.activity.map((a) => [a.platform + "\u0000" + a.day, a.reports]));
          const max = Math.max(0, ...detail.activity.map((a) => a.reports));
          const rows = op.platforms.map((platform) =>
            el("tr", {}, el("th", { scope: "row", text: platform }), ...span.map((day) => {
              const count = counts.get(platform + "\u0000" + day) || 0;
              const td = el("td", { text: count || "", title: platform + " " + day + ": " + count + " reports", class: "cell" });
              td.style.backgroundColor = shade(count, max);
              return td;
            })));
          const matrix = table("Reports first seen per platform and day", ["Platform", ...span.map((d) => d.slice(5))], rows);
          matrix.classList.add("matrix");
          return matrix;
        }

        function heatMap(hex, hours) {
          if (!hex || hex.length !== 168) return el("p", { text: "No schedule fingerprint (fewer than 10 posts per case)." });
          const names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
          const rows = names.map((name, day) =>
            el("tr", {}, el("th", { scope: "row", text: name }), ...Array.from({ length: 24 }, (_, hour) => {
              const level = parseInt(hex[day * 24 + hour], 16);
              const td = el("td", { text: level, title: name + " " + hour + ":00 UTC, level " + level, class: "cell" });
              td.style.backgroundColor = shade(level, 15);
              return td;
            })));
          const map = table("Hour of week (UTC); best-fit office time zone " + offset(hours),
            ["Day", ...Array.from({ length: 24 }, (_, h) => String(h))], rows);
          map.classList.add("heat");
          return map;
        }

        function evidenceGraph(detail) {
          const op = detail.operation;
          const links = detail.evidence_links;
          const rowHeight = 22;
          const height = Math.max(op.cases.length, links.length) * rowHeight + 20;
          const ns = "http://www.w3.org/2000/svg";
          const svg = document.createElementNS(ns, "svg");
          svg.setAttribute("viewBox", "0 0 960 " + height);
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", "Evidence graph: " + op.cases.length + " cases (left) linked by " + links.length + " shared items (right)");
          const add = (tag, attributes, text) => {
            const node = document.createElementNS(ns, tag);
            for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
            if (text) node.textContent = text;
            svg.append(node);
            return node;
          };
          const caseY = (i) => 20 + i * rowHeight;
          const itemY = (i) => 20 + i * rowHeight;
          links.forEach((link, i) => link.cases.forEach((c) =>
            add("line", { x1: 250, y1: caseY(c) - 4, x2: 470, y2: itemY(i) - 4, class: "edge" })));
          op.cases.forEach((c, i) => {
            add("circle", { cx: 250, cy: caseY(i) - 4, r: 5, class: "case" });
            add("text", { x: 240, y: caseY(i), "text-anchor": "end" }, c.origin_name + " / " + c.case);
          });
          links.forEach((link, i) => {
            add("rect", { x: 466, y: itemY(i) - 9, width: 9, height: 9, class: "item" });
            const value = link.value.length > 40 ? link.value.slice(0, 39) + "…" : link.value;
            add("text", { x: 482, y: itemY(i) }, link.kind + " " + value + " (" + link.cases.length + ")");
          });
          return el("figure", {}, svg, el("figcaption", { text: "Cases (left) and the shared items that link them (right)." }));
        }

        async function operationPage(id) {
          const detail = await api("/api/v1/operations/" + encodeURIComponent(id));
          const op = detail.operation;
          const facts = [["Platforms", op.platforms.length, "platforms"], ["Cases", op.cases.length, "cases"],
            ["Accounts", detail.accounts_low + "–" + detail.accounts_high, "accounts"],
            ["Active", op.first_seen + " … " + op.last_seen, "active"], ["Evidence kinds", op.families.join(", "), "families"],
            ["Confidence", op.confidence.toFixed(2), "confidence"], ["Best-fit office time", offset(op.best_fit_utc_offset), "offset"]];
          const summary = el("dl", { class: "facts" }, ...facts.flatMap(([name, value, field]) =>
            [el("dt", { text: name }), el("dd", { text: value, data: { field } })]));
          const evidence = op.evidence.map((item) => {
            const href = "#/indicator?" + new URLSearchParams({ kind: item.kind, value: item.value }).toString();
            return el("tr", {}, cell(item.kind), el("td", { class: "value" }, el("a", { href, text: item.value })),
              cell(item.weight.toFixed(2), "weight", true), cell(item.reason));
          });
          const cases = op.cases.map((c) => el("tr", {}, cell(c.origin_name), cell(c.case), cell(c.status)));
          const labels = Object.entries(op.label_profile).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .map(([label, count]) => el("li", {}, el("code", { text: label }), document.createTextNode(": " + count + " cases")));
          return [el("h1", { text: "Operation " + op.id }), summary,
            el("h2", { text: "Activity" }), activityMatrix(detail),
            el("h2", { text: "Schedule" }), heatMap(op.schedule, op.best_fit_utc_offset),
            el("h2", { text: "Evidence graph" }), evidenceGraph(detail),
            el("h2", { text: "Evidence and provenance" }),
            table("Top evidence; follow a value for who reported it", ["Kind", "Value", "Weight", "Why it links"], evidence),
            el("h2", { text: "Cases" }), table("Cases in this operation", ["Platform", "Case", "Status"], cases),
            el("h2", { text: "DISARM profile" }), el("ul", {}, ...labels)];
        }

        async function indicatorPage(params) {
          const query = new URLSearchParams({ kind: params.get("kind") || "", value: params.get("value") || "" });
          const data = await api("/api/v1/indicators?" + query.toString());
          const rows = data.reports.map((r) => el("tr", {}, cell(r.origin_name), cell(r.case_id), cell(r.case_status),
            cell(r.first_seen + " … " + r.last_seen), cell(r.confidence, "confidence", true),
            cell(r.posting_accounts), cell(r.flagged_accounts), cell(r.labels.join(", "))));
          return [el("h1", { text: "Indicator" }),
            el("p", {}, el("code", { text: data.kind + " " + data.value })),
            el("p", { text: data.reports.length + " reports from " + data.origins + " origins; every report is in a bundle whose Ed25519 signature this node verified on arrival.", data: { field: "reports" } }),
            table("Provenance: who reported it", ["Origin", "Case", "Status", "Seen", "Confidence", "Posting accounts",
              "Flagged accounts", "Labels"], rows)];
        }

        async function peersPage() {
          const peers = await api("/api/v1/peers");
          const rows = peers.map((p) => {
            const lag = (p.feeds || []).reduce((sum, f) => sum + f.lag, 0);
            const current = p.last_error && !(p.last_contact && p.last_contact >= p.last_error_at) ? p.last_error : "";
            return el("tr", { data: { peer: p.name } }, cell(p.name), cell(p.status, "status"),
              cell(p.last_contact || "never", "last_contact"), cell((p.feeds || []).length, "feeds", true),
              cell(lag, "lag", true), cell(p.trust, "trust", true), cell(current, "error"));
          });
          return [el("h1", { text: "Peers" }),
            table("Peers: sync state and trust", ["Peer", "Status", "Last contact", "Feeds", "Lag (bundles)", "Trust", "Current error"], rows)];
        }

        function showSignIn() {
          loginForm.hidden = false;
          document.getElementById("main").replaceChildren(loginForm);
          root.dataset.page = "sign-in";
          root.dataset.ready = "true";
        }

        async function render() {
          const main = document.getElementById("main");
          root.dataset.ready = "false";
          const hash = location.hash.replace(/^#/, "") || "/operations";
          const [path, search] = hash.split("?");
          const params = new URLSearchParams(search || "");
          let page = "operations";
          let content;
          try {
            if (!token) throw new SignInNeeded();
            if (path.startsWith("/operation/")) { page = "operation"; content = await operationPage(decodeURIComponent(path.slice(11))); }
            else if (path === "/indicator") { page = "indicator"; content = await indicatorPage(params); }
            else if (path === "/peers") { page = "peers"; content = await peersPage(); }
            else content = await operationsPage(params);
          } catch (error) {
            if (error instanceof SignInNeeded) return showSignIn();
            throw error;
          }
          main.replaceChildren(...content);
          document.title = "Weft: " + page;
          root.dataset.page = page;
          root.dataset.ready = "true";
          main.focus({ preventScroll: true });
        }

        async function start() {
          // A token in the fragment (#/PAGE?token=…) signs in and is removed from the address at once.
          const [path, search] = location.hash.replace(/^#/, "").split("?");
          const params = new URLSearchParams(search || "");
          if (params.get("token")) {
            token = params.get("token");
            sessionStorage.setItem("weft-token", token);
            params.delete("token");
            const rest = params.toString();
            history.replaceState(null, "", location.pathname + "#" + (path || "/operations") + (rest ? "?" + rest : ""));
          }
          loginForm.addEventListener("submit", (event) => {
            event.preventDefault();
            token = document.getElementById("token").value.trim();
            sessionStorage.setItem("weft-token", token);
            render();
          });
          if (token) {
            try {
              const status = await api("/api/v1/status");
              document.getElementById("node").textContent = "node " + status.node.slice(0, 12) + "…: " + status.bundles + " bundles, " + status.reports + " reports";
            } catch (error) { if (!(error instanceof SignInNeeded)) throw error; }
          }
          window.addEventListener("hashchange", render);
          await render();
        }

        start();
        """#
}
