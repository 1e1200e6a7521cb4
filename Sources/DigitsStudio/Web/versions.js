// versions.js — the Train page's versions table (make current, delete, download, tick two to
// compare) and the side-by-side comparison of two versions.

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
