// maalspor review: the tools that write a person's decisions, added to the report's detail
// panel (window.maalspor is the report's script). Every decision is posted at once to the
// server (POST api/decisions with the run's token in X-Maalspor-Token), which writes it to the
// overrides file; then the page is brought up to date from the server, the view kept.
"use strict";
(function () {
  const report = window.maalspor;
  const T = report.text;
  const token = new URLSearchParams(location.search).get("token") || "";
  const detail = document.getElementById("detail");
  const status = document.getElementById("review-status");
  const FATES = ["continued", "completed", "dropped", "missing_successor", "ended", "open"];
  const SHOWN = 8; // goals a search lists
  let busy = false;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function button(label, className, onClick) {
    const b = el("button", "act " + className, label);
    b.type = "button";
    b.addEventListener("click", (event) => {
      event.stopPropagation();
      onClick();
    });
    return b;
  }
  function noteInput(value) {
    const input = el("input", "note");
    input.type = "text";
    input.placeholder = T("review_note");
    input.value = value || "";
    input.setAttribute("aria-label", T("review_note"));
    return input;
  }
  function setStatus(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  // ---------------------------------------------------------------------------------------
  // Deciding: one request, then the page as the server renders it now.

  async function decide(decision) {
    if (busy) return;
    busy = true;
    document.body.classList.add("saving");
    setStatus("…", "");
    try {
      const response = await fetch("api/decisions", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Maalspor-Token": token },
        body: JSON.stringify(decision),
        cache: "no-store",
      });
      const answer = await response.json().catch(() => ({ error: response.statusText }));
      if (!response.ok) {
        setStatus(T("review_failed", { reason: answer.error }), "error");
        return;
      }
      await bringUpToDate();
      setStatus(T("review_saved", { path: report.data().review.overrides }), "ok");
    } catch (error) {
      setStatus(T("review_failed", { reason: String(error) }), "error");
    } finally {
      busy = false;
      document.body.classList.remove("saving");
    }
  }
  async function bringUpToDate() {
    const response = await fetch(location.href, { cache: "no-store" });
    if (!response.ok) throw new Error(response.status + " " + response.statusText);
    report.refresh(new DOMParser().parseFromString(await response.text(), "text/html"));
  }

  // ---------------------------------------------------------------------------------------
  // The tools, added each time the panel shows a goal.

  function linkOf(from, to) {
    const lineage = report.data().lineage;
    const same = (l) => l.from === from && l.to === to;
    return lineage.links.find(same) || lineage.rejected_links.find(same) || null;
  }

  function linkTools(box) {
    const from = box.dataset.from;
    const to = box.dataset.to;
    const link = box.classList.contains("candidate") ? null : linkOf(from, to);
    const tools = el("div", "review-tools");
    const note = noteInput(link && link.decided_by === "person" ? link.note : "");
    const act = (action) => () => decide({ action: action, from: from, to: to, note: note.value });
    tools.appendChild(note);
    if (!link) {
      tools.appendChild(button(T("review_add"), "add", act("add")));
    } else {
      tools.appendChild(button(T("review_confirm"), "confirm", act("confirm")));
      if (!box.classList.contains("rejected")) {
        tools.appendChild(button(T("review_reject"), "reject", act("reject")));
      }
      if (link.decided_by === "person") {
        tools.appendChild(button(T("review_undo"), "undo", () =>
          decide({ action: "undo", from: from, to: to })));
      }
    }
    box.appendChild(tools);
  }

  function fateTools(goal) {
    const block = el("div", "review-fate");
    block.appendChild(el("h3", null, T("review_fate_heading")));
    const row = el("div", "review-tools");
    const choice = el("select", "fate");
    choice.setAttribute("aria-label", T("fate"));
    for (const fate of FATES) {
      const option = el("option", null, report.data().labels.fate[fate]);
      option.value = fate;
      option.selected = fate === goal.fate;
      choice.appendChild(option);
    }
    const note = noteInput(goal.decided_by === "person" ? goal.note : "");
    row.appendChild(choice);
    row.appendChild(note);
    row.appendChild(button(T("review_fate"), "set-fate", () =>
      decide({ action: "fate", from: goal.id, fate: choice.value, note: note.value })));
    if (goal.decided_by === "person") {
      row.appendChild(button(T("review_clear_fate"), "clear-fate", () =>
        decide({ action: "fate", from: goal.id, fate: "" })));
      row.appendChild(button(T("review_undo"), "undo", () =>
        decide({ action: "undo", from: goal.id })));
    }
    block.appendChild(row);
    return block;
  }

  // Add a link by searching the goals of the plans before and after the goal's own.
  function searchTools(goal) {
    const plans = report.plans();
    const index = plans.findIndex((p) => p.id === goal.plan);
    const near = [plans[index - 1], plans[index + 1]].filter(Boolean).map((p) => p.id);
    const block = el("div", "review-search");
    block.appendChild(el("h3", null, T("review_add_heading")));
    const input = el("input", "search");
    input.type = "search";
    input.placeholder = T("review_search", { plans: near.map(report.periodOf).join(", ") });
    input.setAttribute("aria-label", input.placeholder);
    const note = noteInput("");
    const results = el("ul", "results");
    const linked = new Set([...goal.successors, ...goal.predecessors]);
    const show = () => {
      results.textContent = "";
      const words = input.value.normalize("NFC").toLocaleLowerCase("da").split(/\s+/)
        .filter(Boolean);
      if (!words.length) return;
      const found = report.goals().filter((g) => near.includes(g.plan) && !linked.has(g.id) &&
        words.every((w) => (g.goal + " " + g.text).toLocaleLowerCase("da").includes(w)));
      if (!found.length) results.appendChild(el("li", "none", T("review_no_results")));
      for (const other of found.slice(0, SHOWN)) {
        const later = plans.findIndex((p) => p.id === other.plan) > index;
        const item = el("li");
        item.dataset.goal = other.id;
        item.appendChild(el("span", "p", report.periodOf(other.plan) + " " +
          report.shortId(other.id)));
        item.appendChild(el("span", "t", other.text));
        item.appendChild(button(T("review_add"), "add", () => decide({
          action: "add",
          from: later ? goal.id : other.id,
          to: later ? other.id : goal.id,
          note: note.value,
        })));
        results.appendChild(item);
      }
    };
    input.addEventListener("input", show);
    block.appendChild(input);
    block.appendChild(note);
    block.appendChild(results);
    return block;
  }

  function before(key, node) {
    const heading = detail.querySelector(`h3[data-section="${key}"]`);
    if (heading) detail.insertBefore(node, heading);
    else detail.appendChild(node);
  }

  detail.addEventListener("maalspor:detail", (event) => {
    const goal = report.goal(event.detail.id);
    detail.querySelectorAll(".link[data-from]").forEach(linkTools);
    before("comes_from", fateTools(goal));
    before(detail.querySelector('h3[data-section="rejected"]') ? "rejected" : "source",
      searchTools(goal));
  });
})();
