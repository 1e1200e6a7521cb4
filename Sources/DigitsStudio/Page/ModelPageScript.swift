// ModelPageScript.swift — the Model page's own parts of `GET /model.js` (after the shared core and the
// step charts): the figures of the current model, the images behind a confusion cell, and live curves
// while a retraining runs.

/// The parts of `GET /model.js`, in order.
let modelPageScriptParts: [String] = [coreScript, trainingChartScript, insightsScript, liveTrainingScript, modelPageStartScript]

let insightsScript = #"""
// ---------- Insights: the current model's figures ----------

/** The two sets compared on the page, by their id in the API. */
const setNames = { samples: "Your handwriting", mnist: "MNIST test" };

const Insights = (() => {
  const versionText = byId("insights-version");
  const architectureText = byId("insights-architecture");
  const loadingText = byId("insights-loading");
  const errorText = byId("insights-error");
  let shown = null;            // The last answer placed on the page.
  let loading = null;

  /** GET /api/model/insights; calls that come while one is under way share it. */
  function reload() {
    if (loading === null) {
      loadingText.hidden = false;
      document.body.dataset.insights = "loading";
      loading = Api.get("api/model/insights", { timeoutMs: 120000 })
        .then((answer) => {
          render(answer);
          errorText.hidden = true;
          document.body.dataset.insights = "ready";
        })
        .catch((error) => {
          errorText.hidden = false;
          errorText.textContent = `Could not load the model's figures: ${error.message}`;
          document.body.dataset.insights = "error";
        })
        .finally(() => {
          loadingText.hidden = true;
          loading = null;
        });
    }
    return loading;
  }

  /** Reloads when the model answering now is not the one shown (retrained or reset in another tab). */
  async function reloadIfChanged() {
    try {
      const model = await Api.get("api/model");
      if (!shown || model.version !== shown.version) await reload();
    } catch {
      // The connection watcher reports an unreachable server.
    }
  }

  function render(answer) {
    shown = answer;
    versionText.textContent = answer.version;
    const parameters = Number.isFinite(answer.parameters) ? ` · ${answer.parameters.toLocaleString("en-US")} parameters` : "";
    const origin = answer.retrainedFrom ? ` · retrained from ${answer.retrainedFrom}` : "";
    architectureText.textContent = `${answer.architecture || ""}${parameters}${origin}`;
    for (const set of answer.sets || []) renderSet(set);
    const sections = answer.sections || [];
    placeSection(sections.find((s) => s.id === "curves"), byId("curves"), byId("curves-text"));
    placeSection(sections.find((s) => s.id === "first-layer"), byId("first-layer"), byId("layer-text"));
    Examples.refresh();
    LiveTraining.setSampleCount(answer.sets.find((s) => s.id === "samples")?.count || 0);
  }

  /** One column of the comparison: headline accuracy, then per-digit bars, confusion matrix, mistakes. */
  function renderSet(set) {
    const column = byId(`set-${set.id}`);
    if (!column) return;
    column.dataset.available = String(Boolean(set.available));
    const head = makeElement("h3", "", setNames[set.id] || set.name);
    if (!set.available) {
      column.replaceChildren(head, makeElement("p", "empty", set.message));
      return;
    }
    const headline = makeElement("p", "headline");
    headline.append(makeElement("strong", "set-accuracy", formatPercent(set.accuracy, set.id === "mnist" ? 2 : 1)),
      ` of ${set.count.toLocaleString("en-US")} ${set.count === 1 ? "image" : "images"} read right`);
    column.replaceChildren(head, headline);
    for (const section of set.sections) {
      const block = makeElement("div", "set-section");
      block.dataset.section = section.id;
      block.append(makeElement("h4", "", section.heading), makeElement("p", "muted small", section.text));
      for (const figure of section.figures) block.append(makeFigure(figure));
      column.append(block);
    }
    for (const cell of column.querySelectorAll("g.cell")) {
      cell.addEventListener("click", () => Examples.show(set.id, cell));
      cell.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          Examples.show(set.id, cell);
        }
      });
    }
  }

  function placeSection(section, container, textElement) {
    textElement.textContent = section ? section.text.replaceAll("`", "") : "";
    container.replaceChildren(...(section ? section.figures.map(makeFigure) : []));
  }

  /** A server-drawn SVG figure (our own markup, from DigitsReport) in a <figure>. */
  function makeFigure(figure) {
    const element = makeElement("figure", "figure");
    element.dataset.figure = figure.name;
    element.innerHTML = figure.svg;
    return element;
  }

  byId("insights-refresh").addEventListener("click", reload);
  Connection.onReconnect(reloadIfChanged);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") reloadIfChanged();
  });

  return { reload, reloadIfChanged, get shown() { return shown; } };
})();


// ---------- Examples: the images behind a confusion cell ----------

const Examples = (() => {
  const panel = byId("examples");
  const title = byId("examples-title");
  const note = byId("examples-note");
  const list = byId("examples-list");
  let current = null;          // { set, truth, predicted } shown now.
  let request = 0;             // Answers to older clicks are dropped.

  async function show(set, cell) {
    current = { set, truth: Number(cell.dataset.truth), predicted: Number(cell.dataset.predicted) };
    markSelected();
    await load();
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** The model changed: show the same cell again with the new model's answers. */
  function refresh() {
    if (current) load();
    markSelected();
  }

  async function load() {
    const { set, truth, predicted } = current;
    const mine = ++request;
    panel.hidden = false;
    title.textContent = `${setNames[set]}: true ${truth}, read as ${predicted}`;
    note.textContent = "Loading…";
    try {
      const answer = await Api.get(`api/model/examples?set=${set}&truth=${truth}&predicted=${predicted}&limit=60`);
      if (mine !== request) return;
      render(answer);
    } catch (error) {
      if (mine !== request) return;
      note.textContent = `Could not load the images: ${error.message}`;
      list.replaceChildren();
    }
  }

  function render(answer) {
    const kind = answer.truth === answer.predicted ? "read right" : "misread";
    const count = `${answer.total} ${answer.total === 1 ? "image" : "images"} ${kind}`;
    note.textContent = answer.total === 0
      ? "No images in this cell."
      : answer.examples.length < answer.total
        ? `${count}; the ${answer.examples.length} the model was surest about are shown.`
        : `${count}, most confident first. Caption: ${answer.set === "samples" ? "sample number" : "test image number"} and the probability the model gave ${answer.predicted}.`;
    list.dataset.set = answer.set;
    list.dataset.total = String(answer.total);
    list.replaceChildren(...answer.examples.map((example) => {
      const item = makeElement("li", "example");
      item.dataset.id = String(example.id);
      const image = makeElement("img", "pixelated");
      image.src = example.image;
      image.width = 56;
      image.height = 56;
      image.alt = `${answer.set === "samples" ? "sample" : "test image"} ${example.id}: true ${answer.truth}, read as ${answer.predicted}`;
      const name = answer.set === "samples" ? `#${example.id}` : `${example.id}`;
      item.append(image, makeElement("span", "example-caption", `${name} · ${formatPercent(example.confidence, 0)}`));
      return item;
    }));
  }

  function markSelected() {
    for (const cell of document.querySelectorAll("g.cell.selected")) cell.classList.remove("selected");
    if (!current) return;
    const selector = `#set-${current.set} g.cell[data-truth="${current.truth}"][data-predicted="${current.predicted}"]`;
    document.querySelector(selector)?.classList.add("selected");
  }

  function close() {
    current = null;
    request++;
    panel.hidden = true;
    markSelected();
  }

  byId("examples-close").addEventListener("click", close);
  return { show, refresh };
})();
"""#

let liveTrainingScript = #"""
// ---------- Live retraining curves ----------

/**
 * Follows the retraining job (GET /api/training/events) and draws its loss and accuracy as they come.
 * While no job runs it asks GET /api/training every few seconds, so a run started on the Draw page shows
 * here too. When a run finishes the figures are reloaded for the new model.
 */
const LiveTraining = (() => {
  const state = byId("live-state");
  const phase = byId("live-phase");
  const numbers = byId("live-numbers");
  const result = byId("live-result");
  const retrainButton = byId("live-retrain");
  const cancelButton = byId("live-cancel");
  const lossChart = makeStepChart(byId("live-loss"), { label: "loss (mean so far)" });
  const accuracyChart = makeStepChart(byId("live-accuracy"), { label: "accuracy % (mean so far)", top: 100 });
  const pollMs = 3000;
  let job = { state: "idle" };
  let source = null;
  let sampleCount = 0;
  let pollTimer = null;

  async function check() {
    clearTimeout(pollTimer);
    pollTimer = null;
    try {
      const status = await Api.get("api/training");
      if (status.state === "running") follow(status);
      else if (source === null) show(status);
    } catch {
      // Unreachable: the connection watcher says so; keep polling.
    }
    if (source === null) pollTimer = setTimeout(check, pollMs);
  }

  async function start() {
    retrainButton.disabled = true;
    try {
      follow(await Api.post("api/training"));
    } catch (error) {
      reportError("Could not start retraining", error);
      update();
    }
  }

  async function cancel() {
    try {
      await Api.delete("api/training");
    } catch (error) {
      reportError("Could not cancel the retraining", error);
    }
  }

  function follow(status) {
    if (source !== null) return;
    lossChart.reset(status.steps);
    accuracyChart.reset(status.steps);
    show(status);
    source = openJobEvents({
      status: (fields) => show({ ...job, ...fields }),
      progress: ({ step, steps, loss, accuracy }) => {
        lossChart.add(step, loss, steps);
        accuracyChart.add(step, 100 * accuracy, steps);
        show({ ...job, state: "running", step, steps, loss, accuracy });
      },
      phase: (phase) => show({ ...job, phase }),
      end,
      closed: () => {
        source = null;
        check();
      },
    });
  }

  function end(finalState, fields) {
    if (source !== null) source.close();
    source = null;
    show({ ...job, ...fields, state: finalState });
    if (finalState === "finished") Insights.reload();
    pollTimer = setTimeout(check, pollMs);
  }

  function show(status) {
    job = status;
    const running = job.state === "running";
    state.textContent = job.state || "idle";
    state.dataset.state = job.state || "idle";
    phase.textContent = running && job.phase ? job.phase : "";
    numbers.textContent = job.steps && (running || job.state === "finished")
      ? `Step ${job.step || 0} of ${job.steps} · loss ${Number.isFinite(job.loss) ? job.loss.toFixed(3) : "—"} · accuracy ${formatPercent(job.accuracy)}`
      : "";
    const outcome = job.result;
    result.hidden = !(job.state === "finished" && outcome) && job.state !== "failed";
    if (job.state === "finished" && outcome) {
      result.textContent = outcome.kind === "new"
        ? `New network ${outcome.version} trained on the Train page: ${formatPercent(outcome.mnistAccuracy, 2)} on MNIST test (not in use until made current there).`
        : outcome.accepted
        ? `Accepted: ${outcome.version} is now the current model (MNIST test ${formatPercent(outcome.mnistBefore, 2)} → ${formatPercent(outcome.mnistAfter, 2)}).`
        : `Kept aside: ${outcome.version} — ${outcome.reason}.`;
    } else if (job.state === "failed") {
      result.textContent = `Failed: ${job.error || "no reason given"}`;
    }
    update();
  }

  function update() {
    const running = job.state === "running";
    retrainButton.disabled = running || sampleCount === 0;
    retrainButton.title = sampleCount === 0 ? "Save a few samples on the Draw page first" : "";
    cancelButton.hidden = !running;
  }

  function setSampleCount(count) {
    sampleCount = count;
    update();
  }

  retrainButton.addEventListener("click", start);
  cancelButton.addEventListener("click", cancel);
  return { check, setSampleCount };
})();
"""#

let modelPageStartScript = #"""
// ---------- Start ----------

Insights.reload();
LiveTraining.check();
"""#
