// maalspor report: bands between goal cards, search and filters, the detail panel.
// Inlined into the page; reads the lineage from the JSON block, writes text with textContent.
"use strict";
(function () {
  // The data of the page, read again when `maalspor review` brings the page up to date.
  let data, lineage, L, goals, plans, cards, linksOut, linksIn, rejectedOut, rejectedIn, haystack;
  // A text of the page in its language, with {name} replaced by values[name].
  function T(key, values) {
    return L.ui[key].replace(/\{(\w+)\}/g, (whole, name) =>
      values && Object.hasOwn(values, name) ? String(values[name]) : whole);
  }
  const board = document.getElementById("board");
  const svg = document.getElementById("bands");
  const detail = document.getElementById("detail");
  const query = document.getElementById("q");
  const resetButton = document.getElementById("reset");
  const filterState = document.getElementById("filter-state");
  const NS = "http://www.w3.org/2000/svg";

  // Links by the goal they leave from ("from") or lead to ("to").
  function byEnd(links, end) {
    const map = new Map();
    for (const link of links) {
      if (!map.has(link[end])) map.set(link[end], []);
      map.get(link[end]).push(link);
    }
    return map;
  }
  function load() {
    data = JSON.parse(document.getElementById("data").textContent);
    lineage = data.lineage;
    L = data.labels;
    goals = new Map(lineage.goals.map((g) => [g.id, g]));
    plans = new Map(lineage.plans.map((p, i) => [p.id, Object.assign({ index: i }, p)]));
    cards = new Map();
    document.querySelectorAll(".card").forEach((c) => cards.set(c.dataset.id, c));
    linksOut = byEnd(lineage.links, "from");
    linksIn = byEnd(lineage.links, "to");
    // Links the rules made and a person rejected: shown in the detail panel, never drawn.
    rejectedOut = byEnd(lineage.rejected_links, "from");
    rejectedIn = byEnd(lineage.rejected_links, "to");
    // Lower-cased text a search looks in: everything the detail panel shows.
    haystack = new Map();
    for (const g of lineage.goals) {
      const parts = [g.goal, g.section || "", g.text, g.subgoals.join(" "),
        g.documentation.join(" "), g.follow_up || "", data.notes[g.id] || "", L.fate[g.fate] || ""];
      haystack.set(g.id, parts.join(" \n ").normalize("NFC").toLocaleLowerCase("da"));
    }
  }
  load();

  // A filter from the summary: a plan and one of fate, survive (lives on that many plans
  // later) or end (how its line ends); null: none.
  const state = { words: [], filter: null, selected: null };

  function periodOf(planId) {
    const p = plans.get(planId);
    return p && p.period ? p.period.label : planId;
  }
  function shortId(goalId) {
    const g = goals.get(goalId);
    return g ? g.goal.replace(/^([A-Z]+)0+(?=\d)/, "$1") : goalId;
  }
  function number(value) {
    return value === null || value === undefined ? "–" : value.toFixed(2).replace(".", T("decimal_mark"));
  }

  // ---------------------------------------------------------------------------------------
  // Overrides: a ready [[link]] entry for the overrides file (docs/commands.md, "Correcting the
  // lineage"). Goals are named by id and the start of their text, so the entry survives a
  // renumbering.

  const TEXT_START = 60;
  function textStart(text) {
    const flat = text.replace(/\s+/g, " ").trim();
    if (flat.length <= TEXT_START) return flat;
    const cut = flat.lastIndexOf(" ", TEXT_START);
    return flat.slice(0, cut > 20 ? cut : TEXT_START).trim();
  }
  function tomlString(text) {
    // A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return JSON.stringify(text).replace(/\x7f/g, "\\u007f");
  }
  function linkEntry(fromId, toId, action) {
    return [
      "[[link]]",
      "from = " + tomlString(fromId),
      "from_text = " + tomlString(textStart(goals.get(fromId).text)),
      "to = " + tomlString(toId),
      "to_text = " + tomlString(textStart(goals.get(toId).text)),
      "action = " + tomlString(action),
      'note = ""',
      "",
    ].join("\n");
  }
  function fateEntry(goalId, fate) {
    return [
      "[[fate]]",
      "goal = " + tomlString(goalId),
      "goal_text = " + tomlString(textStart(goals.get(goalId).text)),
      "fate = " + tomlString(fate),
      'note = ""',
      "",
    ].join("\n");
  }
  function copyButton(label, entry) {
    const button = el("button", "copy", label);
    button.type = "button";
    button.dataset.toml = entry;
    button.title = T("copy_title");
    button.addEventListener("click", (event) => {
      event.stopPropagation();
      const done = () => { button.textContent = T("copied"); };
      const fallback = () => {
        const area = document.createElement("textarea");
        area.value = entry;
        document.body.appendChild(area);
        area.select();
        document.execCommand("copy");
        area.remove();
        done();
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(entry).then(done, fallback);
      } else {
        fallback();
      }
    });
    return button;
  }
  function personMark(decidedBy, note) {
    if (decidedBy !== "person") return null;
    return el("span", "badge person", T("person_mark") + (note ? ": " + note : ""));
  }

  // ---------------------------------------------------------------------------------------
  // Filtering and highlighting

  function matches(g) {
    const f = state.filter;
    if (f) {
      const reach = data.reach[g.id];
      if (g.plan !== f.plan) return false;
      if (f.fate === "new" && g.predecessors.length) return false;
      if (f.fate && f.fate !== "new" && g.fate !== f.fate) return false;
      if (f.survive && reach[0] < plans.get(g.plan).index + Number(f.survive)) return false;
      if (f.end && reach[1] !== f.end) return false;
    }
    const text = haystack.get(g.id);
    return state.words.every((w) => text.includes(w));
  }

  function highlight(element, text) {
    element.textContent = "";
    if (!state.words.length) {
      element.textContent = text;
      return;
    }
    const lower = text.toLocaleLowerCase("da");
    const marks = [];
    for (const w of state.words) {
      let at = lower.indexOf(w);
      while (at >= 0 && w) {
        marks.push([at, at + w.length]);
        at = lower.indexOf(w, at + w.length);
      }
    }
    marks.sort((a, b) => a[0] - b[0]);
    let pos = 0;
    for (const [start, end] of marks) {
      if (start < pos) continue;
      element.appendChild(document.createTextNode(text.slice(pos, start)));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(start, end);
      element.appendChild(mark);
      pos = end;
    }
    element.appendChild(document.createTextNode(text.slice(pos)));
  }

  function applyFilter() {
    const shown = new Map();
    for (const [id, card] of cards) {
      const g = goals.get(id);
      const ok = matches(g);
      card.classList.toggle("hide", !ok);
      highlight(card.querySelector(".txt"), g.text);
      if (ok) shown.set(g.plan, (shown.get(g.plan) || 0) + 1);
    }
    // A section heading without visible cards is hidden too.
    document.querySelectorAll(".cards").forEach((column) => {
      let heading = null;
      let visible = false;
      for (const child of column.children) {
        if (child.classList.contains("sec")) {
          if (heading) heading.classList.toggle("hide", !visible);
          heading = child;
          visible = false;
        } else if (!child.classList.contains("hide")) {
          visible = true;
        }
      }
      if (heading) heading.classList.toggle("hide", !visible);
    });
    const filtered = state.words.length || state.filter;
    document.querySelectorAll(".col").forEach((col) => {
      const count = col.querySelector(".cnt");
      const total = count.dataset.total;
      const n = shown.get(col.dataset.plan) || 0;
      count.textContent = filtered ? T("goals_shown", { n: n, total: total }) : T("goals_count", { n: total });
    });
    document.querySelectorAll(".count").forEach((b) => {
      b.classList.toggle("on", sameFilter(filterOf(b), state.filter));
    });
    const f = state.filter;
    if (f) {
      let label;
      if (f.fate) label = f.fate === "new" ? T("new_goals") : L.fate[f.fate];
      else if (f.survive) label = "→ " + (f.survive === "1" ? T("survival_next") :
        T("survival_later", { n: f.survive }));
      else label = f.end === "open" ? T("survival_running",
        { period: periodOf(lineage.plans[lineage.plans.length - 1].id) }) : L.fate[f.end];
      filterState.textContent = T("showing", { label: label, period: periodOf(f.plan) });
    }
    filterState.hidden = !f;
    resetButton.hidden = !filtered;
    scheduleDraw();
  }
  function filterOf(button) {
    const d = button.dataset;
    return { plan: d.plan, fate: d.fate || null, survive: d.survive || null, end: d.end || null };
  }
  function sameFilter(a, b) {
    return Boolean(a && b) && a.plan === b.plan && a.fate === b.fate && a.survive === b.survive &&
      a.end === b.end;
  }

  query.addEventListener("input", () => {
    state.words = query.value.normalize("NFC").toLocaleLowerCase("da").split(/\s+/).filter(Boolean);
    applyFilter();
  });
  function clearFilter() {
    query.value = "";
    state.words = [];
    state.filter = null;
  }
  resetButton.addEventListener("click", () => {
    clearFilter();
    applyFilter();
  });
  // The summary's numbers, its goal lists and the years are replaced when the page is brought
  // up to date: their clicks are taken where they bubble to.
  document.addEventListener("click", (event) => {
    const count = event.target.closest("#summary .count");
    if (count) {
      const filter = filterOf(count);
      state.filter = sameFilter(filter, state.filter) ? null : filter;
      applyFilter();
      return;
    }
    const jump = event.target.closest(".goto[data-goal]");
    if (jump) {
      select(jump.dataset.goal, true);
      return;
    }
    const year = event.target.closest("#years .year");
    if (year) showPlan(year.dataset.plan);
  });

  // ---------------------------------------------------------------------------------------
  // Bands: one filled curve per link, from the right edge of a card to the left edge of its
  // successor. Cards scrolled out of their column pin the band to the column's edge, faded.

  let pending = false;
  function scheduleDraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  }

  function visible(card) {
    return card && !card.classList.contains("hide");
  }

  function anchor(card, slot, slots, boardBox) {
    const box = card.getBoundingClientRect();
    const column = card.parentElement.getBoundingClientRect();
    const raw = box.top + (box.height * (slot + 1)) / (slots + 1);
    const y = Math.min(Math.max(raw, column.top + 2), column.bottom - 2);
    return { y: y - boardBox.top, off: raw !== y, box: box };
  }

  function draw() {
    markYears();
    const boardBox = board.getBoundingClientRect();
    const left = boardBox.left - board.scrollLeft;
    svg.setAttribute("width", board.scrollWidth);
    svg.setAttribute("height", board.clientHeight);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const related = state.selected ? relatedLinks(state.selected) : new Set();
    svg.classList.toggle("has-sel", Boolean(state.selected));
    const ordered = (list, key) =>
      list.filter((l) => visible(cards.get(l[key])))
        .sort((a, b) => cards.get(a[key]).offsetTop - cards.get(b[key]).offsetTop);
    for (const link of lineage.links) {
      const a = cards.get(link.from);
      const b = cards.get(link.to);
      if (!visible(a) || !visible(b)) continue;
      const outs = ordered(linksOut.get(link.from), "to");
      const ins = ordered(linksIn.get(link.to), "from");
      const p = anchor(a, outs.indexOf(link), outs.length, boardBox);
      const q = anchor(b, ins.indexOf(link), ins.length, boardBox);
      const x1 = p.box.right - left;
      const x2 = q.box.left - left;
      const mid = (x1 + x2) / 2;
      const t = (3 + 7 * link.score) / 2;
      const path = document.createElementNS(NS, "path");
      path.setAttribute("d",
        `M${x1},${p.y - t} C${mid},${p.y - t} ${mid},${q.y - t} ${x2},${q.y - t}` +
        ` L${x2},${q.y + t} C${mid},${q.y + t} ${mid},${p.y + t} ${x1},${p.y + t} Z`);
      let cls = "band k-" + link.kind;
      if (link.decided_by === "person") cls += " person";
      if (p.off || q.off) cls += " off";
      if (related.has(link)) cls += " hot";
      path.setAttribute("class", cls);
      svg.appendChild(path);
    }
    // The finding users look for: promised to go on, but no successor. A dashed red line that
    // leads from the card into the gap and ends in a "?".
    for (const [id, card] of cards) {
      const g = goals.get(id);
      if (g.fate !== "missing_successor" || !visible(card)) continue;
      const p = anchor(card, 0, 1, boardBox);
      if (p.off) continue;
      const x = p.box.right - left;
      const line = document.createElementNS(NS, "path");
      line.setAttribute("d", `M${x},${p.y} H${x + 44}`);
      line.setAttribute("class", "stub");
      svg.appendChild(line);
      const dot = document.createElementNS(NS, "circle");
      dot.setAttribute("cx", x + 52);
      dot.setAttribute("cy", p.y);
      dot.setAttribute("r", 8);
      dot.setAttribute("class", "stubend");
      svg.appendChild(dot);
      const mark = document.createElementNS(NS, "text");
      mark.setAttribute("x", x + 52);
      mark.setAttribute("y", p.y + 0.5);
      mark.setAttribute("class", "stubtext");
      mark.textContent = "?";
      svg.appendChild(mark);
    }
  }

  function relatedLinks(id) {
    return new Set([...(linksOut.get(id) || []), ...(linksIn.get(id) || [])]);
  }

  // The board scrolling sideways, or a column down (scroll events do not bubble, but they are
  // seen on their way down to the column).
  board.addEventListener("scroll", scheduleDraw, { passive: true, capture: true });
  window.addEventListener("resize", scheduleDraw);

  // ---------------------------------------------------------------------------------------
  // Years: over many plans the board scrolls sideways; the buttons of the plans in view are lit,
  // and a click brings a plan's column to the left edge, the selection and the filter kept.

  function showPlan(planId) {
    const col = board.querySelector(`.col[data-plan="${CSS.escape(planId)}"]`);
    if (col) {
      const pad = parseFloat(getComputedStyle(board).paddingLeft) || 0;
      board.scrollLeft += col.getBoundingClientRect().left - board.getBoundingClientRect().left - pad;
    }
    scheduleDraw();
  }
  function markYears() {
    const box = board.getBoundingClientRect();
    document.querySelectorAll("#years .year").forEach((b) => {
      const col = board.querySelector(`.col[data-plan="${CSS.escape(b.dataset.plan)}"]`);
      const r = col ? col.getBoundingClientRect() : null;
      b.classList.toggle("on", Boolean(r) && r.right > box.left + 20 && r.left < box.right - 20);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Detail panel

  // "Mål: plan.pdf, side 5": the page a link to the PDF at that page, when the report knows
  // where the PDF is (data.files: source path → URL relative to the page).
  function source(label, path, page, tail) {
    const p = el("p", "src", label + path);
    if (page) {
      p.appendChild(document.createTextNode(", "));
      const href = Object.hasOwn(data.files, path) ? data.files[path] : null;
      const a = el(href ? "a" : "span", "", T("source_page", { page: page }));
      if (href) {
        a.href = href + "#page=" + page;
        a.target = "_blank";
        a.rel = "noopener";
      }
      p.appendChild(a);
    }
    if (tail) p.appendChild(document.createTextNode(tail));
    return p;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function section(title, key) {
    const heading = el("h3", null, title);
    if (key) heading.dataset.section = key;
    detail.appendChild(heading);
  }
  function list(items) {
    const ul = el("ul");
    for (const item of items) ul.appendChild(el("li", null, item));
    detail.appendChild(ul);
  }
  function keyValue(key, value) {
    const p = el("p", "kv", key + ": ");
    p.appendChild(el("b", null, value));
    detail.appendChild(p);
  }

  function linkBox(link, otherId, arrow, rejected) {
    const other = goals.get(otherId);
    const box = el("div", rejected ? "link rejected" : "link");
    box.dataset.from = link.from;
    box.dataset.to = link.to;
    const head = el("div");
    head.appendChild(el("span", "badge f-continued", L.kind[link.kind]));
    head.appendChild(document.createTextNode(" " + arrow + " " + periodOf(other.plan) + " "));
    const jump = el("button", null, shortId(otherId) + ": " + other.text);
    jump.type = "button";
    jump.addEventListener("click", () => select(otherId, true));
    head.appendChild(jump);
    box.appendChild(head);
    const info = el("div", "kv", L.kindHint[link.kind] + " · " + T("combined_score") + " " +
      number(link.score) + " ");
    const mark = personMark(link.decided_by, link.note);
    if (mark) info.appendChild(mark);
    box.appendChild(info);
    if (!rejected && !data.review) {
      const tools = el("div", "tools");
      tools.appendChild(copyButton(T("copy_confirm"), linkEntry(link.from, link.to, "confirm")));
      tools.appendChild(copyButton(T("copy_reject"), linkEntry(link.from, link.to, "reject")));
      box.appendChild(tools);
    }
    if (link.evidence.length) {
      const table = el("table");
      for (const e of link.evidence) {
        const row = el("tr");
        row.appendChild(el("td", null, e.signal));
        row.appendChild(el("td", "num", number(e.score)));
        row.appendChild(el("td", null, e.detail));
        table.appendChild(row);
      }
      box.appendChild(table);
    }
    detail.appendChild(box);
  }

  function candidateBox(fromId, candidate) {
    const other = goals.get(candidate.to);
    if (!other) return;
    const box = el("div", "link candidate");
    box.dataset.from = fromId;
    box.dataset.to = candidate.to;
    const head = el("div");
    head.appendChild(el("span", "badge", T("score") + " " + number(candidate.score)));
    head.appendChild(document.createTextNode(" → " + periodOf(other.plan) + " "));
    const jump = el("button", null, shortId(candidate.to) + ": " + other.text);
    jump.type = "button";
    jump.addEventListener("click", () => select(candidate.to, true));
    head.appendChild(jump);
    box.appendChild(head);
    if (!data.review) {
      const tools = el("div", "tools");
      tools.appendChild(copyButton(T("copy_add"), linkEntry(fromId, candidate.to, "add")));
      box.appendChild(tools);
    }
    detail.appendChild(box);
  }

  function showDetail(id) {
    const g = goals.get(id);
    const plan = plans.get(g.plan);
    const next = lineage.plans[plan.index + 1];
    detail.textContent = "";
    detail.appendChild(el("h2", null, periodOf(g.plan) + " · " + shortId(id) +
      (g.section ? " · " + g.section : "")));
    const badges = el("p");
    if (plan.index > 0 && !g.predecessors.length) badges.appendChild(el("span", "badge f-new", T("new_badge")));
    badges.appendChild(document.createTextNode(" "));
    badges.appendChild(el("span", "badge f-" + g.fate, L.fate[g.fate]));
    const fateMark = personMark(g.decided_by, g.note);
    if (fateMark) {
      badges.appendChild(document.createTextNode(" "));
      badges.appendChild(fateMark);
    }
    detail.appendChild(badges);
    if (g.fate === "missing_successor") {
      detail.appendChild(el("div", "callout",
        T("missing_callout", { plan: next ? periodOf(next.id) : T("next_plan") })));
    }
    section(T("goal"), "goal");
    detail.appendChild(el("p", "goaltext", g.text));
    chainSection(id);
    if (g.subgoals.length) {
      section(T("subgoals"));
      list(g.subgoals);
    }
    if (data.notes[id]) {
      section(T("note"));
      detail.appendChild(el("p", null, data.notes[id]));
    }
    section(T("documentation"));
    if (g.documentation.length) list(g.documentation);
    else detail.appendChild(el("p", "kv", T("no_documentation")));
    section(T("follow_up"));
    if (g.follow_up) detail.appendChild(el("p", null, g.follow_up));
    else detail.appendChild(el("p", "kv", next ? T("no_follow_up") : T("no_follow_up_yet")));
    section(T("verdict"), "verdict");
    keyValue(T("status"), g.status ? L.status[g.status] : T("not_judged"));
    keyValue(T("goes_on"), g.continued === true ? T("yes") : g.continued === false ? T("no") :
      T("not_said"));
    keyValue(T("fate"), L.fate[g.fate]);
    if (g.status_evidence.length) {
      const p = el("p", "kv", T("evidence"));
      p.appendChild(el("span", "quote", g.status_evidence.map((q) => "“" + q + "”").join(", ")));
      detail.appendChild(p);
    }
    const ins = linksIn.get(id) || [];
    const outs = linksOut.get(id) || [];
    section(T("comes_from", { n: ins.length }), "comes_from");
    if (ins.length) for (const link of ins) linkBox(link, link.from, "←");
    else detail.appendChild(el("p", "kv", plan.index > 0 ?
      T("new_goal", { plan: periodOf(lineage.plans[plan.index - 1].id) }) : T("first_plan")));
    section(T("goes_on_in", { n: outs.length }), "goes_on_in");
    if (outs.length) for (const link of outs) linkBox(link, link.to, "→");
    else detail.appendChild(el("p", "kv", L.fate[g.fate] + "."));
    if (g.fate === "missing_successor" && g.candidates.length) {
      section(T("candidates", { n: g.candidates.length }), "candidates");
      for (const candidate of g.candidates) candidateBox(g.id, candidate);
    }
    if (g.fate === "missing_successor" && !data.review) {
      // Or the person finds that the goal ended after all.
      const tools = el("div", "tools fates");
      for (const fate of ["dropped", "completed", "ended"]) {
        tools.appendChild(copyButton(T("copy_fate", { fate: L.fate[fate].toLowerCase() }),
          fateEntry(id, fate)));
      }
      detail.appendChild(tools);
    }
    const refused = (rejectedOut.get(id) || []).concat(rejectedIn.get(id) || []);
    if (refused.length) {
      section(T("rejected", { n: refused.length }), "rejected");
      for (const link of refused) {
        linkBox(link, link.from === id ? link.to : link.from, link.from === id ? "→" : "←", true);
      }
    }
    section(T("source"), "source");
    detail.appendChild(source(T("source_goal"), plan.source.path, g.page,
      plan.stand_in ? T("source_follow_up_part") : ""));
    if (g.follow_up && data.followUpSource[g.plan]) {
      detail.appendChild(source(T("source_follow_up"), data.followUpSource[g.plan],
        g.follow_up_page, ""));
    }
    detail.appendChild(el("p", "src", T("id") + id));
    detail.scrollTop = 0;
    // `maalspor review` adds its tools to the panel.
    detail.dispatchEvent(new CustomEvent("maalspor:detail", { detail: { id: id } }));
  }

  // A goal's whole chain: every goal it comes from and goes on in, across all the plans, plan
  // by plan; each one a click away.
  function chainOf(id) {
    const found = new Set([id]);
    const walk = (start, map, end) => {
      const todo = [start];
      while (todo.length) {
        for (const link of map.get(todo.pop()) || []) {
          if (!found.has(link[end])) {
            found.add(link[end]);
            todo.push(link[end]);
          }
        }
      }
    };
    walk(id, linksIn, "from");
    walk(id, linksOut, "to");
    return found;
  }
  function chainSection(id) {
    const members = chainOf(id);
    const byPlan = new Map();
    for (const member of members) {
      const index = plans.get(goals.get(member).plan).index;
      if (!byPlan.has(index)) byPlan.set(index, []);
      byPlan.get(index).push(member);
    }
    if (byPlan.size < 2) return;
    section(T("chain", { n: byPlan.size }), "chain");
    const list = el("ol", "chain");
    for (const index of [...byPlan.keys()].sort((a, b) => a - b)) {
      const plan = lineage.plans[index];
      const step = el("li");
      step.dataset.plan = plan.id;
      step.appendChild(el("span", "p", periodOf(plan.id)));
      for (const member of byPlan.get(index).sort()) {
        const g = goals.get(member);
        const button = el("button", member === id ? "chain-goal here" : "chain-goal",
          shortId(member) + " " + g.text);
        button.type = "button";
        button.title = g.text;
        button.dataset.goal = member;
        if (member !== id) button.addEventListener("click", () => select(member, true));
        const row = el("span", "member");
        row.appendChild(button);
        if (!g.successors.length && g.fate !== "open") {
          row.appendChild(el("span", "badge f-" + g.fate, L.fate[g.fate]));
        }
        step.appendChild(row);
      }
      list.appendChild(step);
    }
    detail.appendChild(list);
  }

  function select(id, scroll, keepFilter) {
    document.querySelectorAll(".card.sel").forEach((c) => c.classList.remove("sel"));
    document.querySelectorAll(".card.linked").forEach((c) => c.classList.remove("linked"));
    state.selected = id;
    const card = cards.get(id);
    if (card.classList.contains("hide") && !keepFilter) {
      // A goal picked from the summary or the panel is shown even when filtered out.
      clearFilter();
      applyFilter();
    }
    card.classList.add("sel");
    for (const link of relatedLinks(id)) {
      const other = cards.get(link.from === id ? link.to : link.from);
      if (other) other.classList.add("linked");
    }
    if (scroll) card.scrollIntoView({ block: "center", inline: "nearest" });
    showDetail(id);
    scheduleDraw();
  }

  board.addEventListener("click", (event) => {
    const card = event.target.closest(".card");
    if (card) select(card.dataset.id, false);
  });
  board.addEventListener("keydown", (event) => {
    const card = event.target.closest(".card");
    if (card && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(card.dataset.id, false);
    }
  });

  // The page brought up to date (`maalspor review`, after a decision): the summary, the columns
  // and the data of `doc` (the page as the server renders it now) replace these; what is in
  // view stays: the scroll of the board, of each column and of the panel, the search, the
  // filter and the selected goal.
  function refresh(doc) {
    const tops = new Map();
    document.querySelectorAll(".col").forEach((c) =>
      tops.set(c.dataset.plan, c.querySelector(".cards").scrollTop));
    const keep = { left: board.scrollLeft, panel: detail.scrollTop,
      summary: document.getElementById("summary").scrollTop };
    document.getElementById("summary").replaceWith(document.adoptNode(doc.getElementById("summary")));
    board.querySelectorAll(".col").forEach((c) => c.remove());
    doc.querySelectorAll("#board .col").forEach((c) => board.appendChild(document.adoptNode(c)));
    document.getElementById("data").textContent = doc.getElementById("data").textContent;
    load();
    document.getElementById("summary").scrollTop = keep.summary;
    board.scrollLeft = keep.left;
    document.querySelectorAll(".col").forEach((c) => {
      if (tops.has(c.dataset.plan)) c.querySelector(".cards").scrollTop = tops.get(c.dataset.plan);
    });
    applyFilter();
    if (state.selected && goals.has(state.selected)) {
      select(state.selected, false, true);
      detail.scrollTop = keep.panel;
    }
  }
  window.maalspor = {
    select: select,
    refresh: refresh,
    selected: () => state.selected,
    goal: (id) => goals.get(id),
    plans: () => lineage.plans,
    goals: () => lineage.goals,
    periodOf: periodOf,
    shortId: shortId,
    text: T,
    data: () => data,
  };

  applyFilter();
})();
