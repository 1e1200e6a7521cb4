// model_panel.js — the part of studio.js for the model panel: the active version, all versions, and reset.

// ---------- Model versions ----------

const Model = (() => {
  const versionText = byId("model-version");
  const architectureText = byId("model-architecture");
  const versionList = byId("model-versions");
  const resetButton = byId("reset-model");
  let shownVersion = null;
  let loading = null;          // The GET /api/model under way, if any.

  /** GET /api/model. Calls that come while one is under way share its answer. */
  function reload() {
    if (loading === null) {
      loading = Api.get("api/model")
        .then(render)
        .catch((error) => reportError("Could not load the model versions", error))
        .finally(() => { loading = null; });
    }
    return loading;
  }

  /** Each prediction names its model; when that is not the one shown, the panel is out of date. */
  function noticeVersion(version) {
    if (version && shownVersion !== null && version !== shownVersion) reload();
  }

  async function reset() {
    const question = "Reset to the base model?\n\nPredictions will come from the model the studio started with. "
      + "Your saved samples and the other versions stay.";
    if (!window.confirm(question)) return;
    resetButton.disabled = true;
    try {
      render(await Api.post("api/model/reset"));
      Status.ok(`Back to the base model (${shownVersion}).`);
      Prediction.refresh();
    } catch (error) {
      reportError("Could not reset the model", error);
    } finally {
      resetButton.disabled = false;
    }
  }

  function render(model) {
    shownVersion = model.version;
    versionText.textContent = model.version;
    const parameters = Number.isFinite(model.parameters) ? ` · ${model.parameters.toLocaleString("en-US")} parameters` : "";
    const notADigit = typeof model.notADigit === "string" ? ` · says "not a digit" ${model.notADigit}` : "";
    architectureText.textContent = `${model.architecture || ""}${parameters}${notADigit}`;
    const versions = Array.isArray(model.versions) ? model.versions : [];
    versionList.replaceChildren(...versions.slice().reverse().map((version) => makeVersionItem(version, model.version)));
  }

  /** Newest first: id, status, accuracies, and the server's note (why it was kept aside, for instance). */
  function makeVersionItem(version, activeId) {
    const item = makeElement("li", version.id === activeId ? "version current" : "version");
    item.dataset.version = version.id;
    const head = makeElement("div", "version-head");
    const status = makeElement("span", "version-status", version.status);
    status.dataset.status = version.status;
    head.append(makeElement("span", "version-id", version.id), status);
    // "active" already says it, but after a reset the base model is in use with the status "base".
    if (version.id === activeId && version.status !== "active") head.append(makeElement("span", "muted small", "in use"));
    item.append(head, makeElement("p", "version-numbers", describeAccuracy(version)));
    if (version.note) item.append(makeElement("p", "version-note", version.note));
    return item;
  }

  function describeAccuracy(version) {
    const parts = [`MNIST ${formatPercent(version.mnistAccuracy, 2)}`];
    if (typeof version.samplesAccuracy === "number") parts.push(`your samples ${formatPercent(version.samplesAccuracy, 0)}`);
    if (version.createdAt) parts.push(formatDate(version.createdAt));
    return parts.join(" · ");
  }

  resetButton.addEventListener("click", reset);
  Connection.onReconnect(reload);

  return { reload, noticeVersion };
})();
