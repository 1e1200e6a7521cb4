// TrainPageVersions.swift — the Train page's versions table (make current, delete, download, tick two to
// compare) and the side-by-side comparison of two versions.

let versionsScript = #"""
// ---------- Versions ----------

const Versions = (() => {
  const body = byId("versions-table").tBodies[0];
  const compareButton = byId("compare-start");
  let versions = [];
  let ticked = [];

  async function reload() {
    try {
      const answer = await Api.get("api/model");
      versions = answer.versions || [];
      ticked = ticked.filter((id) => versions.some((v) => v.id === id));
      render();
    } catch (error) {
      reportError("Could not load the versions", error, "versions");
    }
  }

  async function currentVersion() {
    const answer = await Api.get("api/model");
    return answer.version;
  }

  function madeBy(version) {
    if (version.kind === "base") return `the model the studio started with${version.recipe ? ` (${version.recipe})` : ""}`;
    if (version.kind === "new") return `trained here: ${version.recipe || ""}`;
    return `retrained from ${version.parent || "?"} on your samples${version.steps ? `, ${version.steps} steps` : ""}${version.status === "kept-aside" ? " (kept aside)" : ""}`;
  }

  function render() {
    body.replaceChildren(...versions.map((version) => {
      const row = makeElement("tr");
      row.dataset.version = version.id;
      if (version.current) row.classList.add("current");
      const tick = makeElement("input");
      tick.type = "checkbox";
      tick.checked = ticked.includes(version.id);
      tick.setAttribute("aria-label", `Compare ${version.id}`);
      tick.addEventListener("change", () => toggle(version.id, tick.checked));
      const name = makeElement("span", "version-name", version.id);
      const cells = [tick, name, madeBy(version),
        Number.isFinite(version.mnistAccuracy) ? formatPercent(version.mnistAccuracy, 2) : "—",
        Number.isFinite(version.samplesAccuracy) ? formatPercent(version.samplesAccuracy, 1) : "—",
        version.createdAt ? formatDate(version.createdAt) : "—", actions(version)];
      for (const cell of cells) {
        const td = makeElement("td");
        if (cell instanceof Node) td.append(cell); else td.textContent = cell;
        row.append(td);
      }
      if (version.current) name.append(makeElement("span", "badge", "current"));
      return row;
    }));
    compareButton.disabled = ticked.length !== 2;
  }

  function actions(version) {
    const box = makeElement("div", "row-actions");
    if (!version.current) {
      const use = makeElement("button", "small-button", "Make current");
      use.type = "button";
      use.addEventListener("click", () => makeCurrent(version.id));
      box.append(use);
    }
    const download = makeElement("a", "small-button", "Download");
    download.href = `api/model/versions/${encodeURIComponent(version.id)}/file`;
    download.setAttribute("download", `digits-${version.id}.safetensors`);
    box.append(download);
    if (!version.current && version.kind !== "base") {
      const remove = makeElement("button", "small-button danger", "Delete");
      remove.type = "button";
      remove.addEventListener("click", () => deleteVersion(version.id));
      box.append(remove);
    }
    return box;
  }

  function toggle(id, on) {
    ticked = ticked.filter((other) => other !== id);
    if (on) ticked.push(id);
    while (ticked.length > 2) ticked.shift();
    render();
  }

  async function makeCurrent(id) {
    try {
      await Api.post("api/model/current", { version: id });
      Status.ok(`${id} is now the current model: the Draw page reads with it.`, "versions");
      await reload();
    } catch (error) {
      reportError(`Could not make ${id} current`, error, "versions");
    }
  }

  async function deleteVersion(id) {
    if (!window.confirm(`Delete ${id}? Its model file is removed; this cannot be undone.`)) return;
    try {
      await Api.delete(`api/model/versions/${encodeURIComponent(id)}`);
      Status.ok(`${id} deleted.`, "versions");
      await reload();
    } catch (error) {
      reportError(`Could not delete ${id}`, error, "versions");
    }
  }

  byId("versions-refresh").addEventListener("click", reload);
  compareButton.addEventListener("click", () => Comparison.show(ticked[0], ticked[1]));
  return { reload, makeCurrent, currentVersion };
})();
"""#

let comparisonScript = #"""
// ---------- Comparing two versions ----------

const Comparison = (() => {
  const section = byId("comparison");
  const loading = byId("comparison-loading");
  const content = byId("comparison-body");

  async function show(a, b) {
    section.hidden = false;
    content.replaceChildren();
    loading.textContent = `Measuring ${a} and ${b} on MNIST test and on your drawings…`;
    document.body.dataset.comparison = "loading";
    section.scrollIntoView({ behavior: "smooth", block: "start" });
    try {
      const answer = await Api.get(`api/model/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, { timeoutMs: 120000 });
      render(answer);
      document.body.dataset.comparison = "ready";
    } catch (error) {
      content.replaceChildren(makeElement("p", "error-text", `Could not compare ${a} and ${b}: ${error.message}`));
      document.body.dataset.comparison = "error";
    } finally {
      loading.textContent = "";
    }
  }

  function render(answer) {
    const { a, b } = answer;
    const rows = [];
    for (const [name, key] of [["MNIST test", "mnist"], ["Your drawings", "samples"]]) {
      if (a[key].count === 0) continue;
      rows.push([`${name}: ${a.version}`, formatPercent(a[key].accuracy, 2), ...a[key].perDigit.map((v) => Number.isFinite(v) ? formatPercent(v, 1) : "—")]);
      rows.push([`${name}: ${b.version}`, formatPercent(b[key].accuracy, 2), ...b[key].perDigit.map((v) => Number.isFinite(v) ? formatPercent(v, 1) : "—")]);
    }
    const perDigit = makeElement("div", "table-scroll");
    perDigit.append(makeTable(["Set", "All", ...Array.from({ length: 10 }, (_, digit) => String(digit))], rows, "data-table per-digit"));

    const matrices = makeElement("div", "matrices");
    matrices.append(
      confusionTable(a.mnist.confusion, { caption: `${a.version} on MNIST test` }),
      confusionTable(b.mnist.confusion, { caption: `${b.version} on MNIST test` }),
      confusionTable(answer.mnistConfusionDifference, { caption: `${b.version} − ${a.version} (green: better)`, difference: true }));
    const parts = [makeElement("h3", "", `${a.version} and ${b.version}, digit by digit`), perDigit,
      makeElement("h3", "", "Confusion matrices"), matrices,
      makeElement("p", "muted small", `They read ${formatCount(answer.mnistDisagreementCount)} of the MNIST test digits differently.`)];
    if (a.samples.count > 0) {
      const sampleMatrices = makeElement("div", "matrices");
      sampleMatrices.append(
        confusionTable(a.samples.confusion, { caption: `${a.version} on your drawings` }),
        confusionTable(b.samples.confusion, { caption: `${b.version} on your drawings` }),
        confusionTable(answer.samplesConfusionDifference, { caption: `${b.version} − ${a.version}`, difference: true }));
      parts.push(sampleMatrices);
    }
    parts.push(makeElement("h3", "", `Your drawings they read differently (${answer.disagreements.length})`));
    if (answer.disagreements.length === 0) {
      parts.push(makeElement("p", "muted small", a.samples.count === 0 ? "No drawings saved yet: save some on the Draw page." : "None: they agree on every drawing you saved."));
    } else {
      const list = makeElement("ul", "example-list disagreements");
      for (const item of answer.disagreements) {
        const entry = makeElement("li", "example");
        const image = makeElement("img");
        image.src = item.image;
        image.alt = `sample ${item.id}, a ${item.label}`;
        entry.append(image, makeElement("span", "example-caption", `a ${item.label}: ${a.version} read ${item.a}, ${b.version} read ${item.b}`));
        list.append(entry);
      }
      parts.push(list);
    }
    content.replaceChildren(...parts);
  }

  return { show };
})();
"""#
