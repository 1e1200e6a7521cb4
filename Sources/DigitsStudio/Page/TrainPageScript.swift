// TrainPageScript.swift — the Train page's form and live training view (parts of `GET /train.js`, after the
// shared core and the step charts). The versions table and the comparison are in TrainPageVersions.swift.

/// The parts of `GET /train.js`, in order.
let trainPageScriptParts: [String] = [coreScript, trainingChartScript, tableScript, recipeFormScript, trainJobScript,
                                      versionsScript, comparisonScript, trainPageStartScript]

let tableScript = #"""
// ---------- Tables of figures ----------

/** A table element with a header row and body rows of text (or nodes). */
function makeTable(headers, rows, className = "data-table") {
  const table = makeElement("table", className);
  const head = makeElement("tr");
  for (const header of headers) head.append(makeElement("th", "", header));
  table.append(makeElement("thead"));
  table.tHead.append(head);
  const body = makeElement("tbody");
  for (const row of rows) {
    const line = makeElement("tr");
    for (const cell of row) {
      const td = makeElement("td");
      if (cell instanceof Node) td.append(cell); else td.textContent = cell;
      line.append(td);
    }
    body.append(line);
  }
  table.append(body);
  return table;
}

/**
 * A 10×10 confusion matrix as a table: rows the true digit, columns the digit read. Counts are shaded by
 * their share of the row (green on the diagonal, red off it); a difference matrix shades gains and losses.
 */
function confusionTable(matrix, { caption = "", difference = false } = {}) {
  const table = makeElement("table", "confusion");
  if (caption) table.append(makeElement("caption", "small", caption));
  const head = makeElement("tr");
  head.append(makeElement("th", "corner", "true \\ read"));
  for (let digit = 0; digit < 10; digit += 1) head.append(makeElement("th", "", String(digit)));
  table.append(makeElement("thead"));
  table.tHead.append(head);
  const body = makeElement("tbody");
  matrix.forEach((row, truth) => {
    const line = makeElement("tr");
    line.append(makeElement("th", "", String(truth)));
    const total = row.reduce((sum, count) => sum + Math.abs(count), 0) || 1;
    row.forEach((count, read) => {
      const cell = makeElement("td", "", difference && count > 0 ? `+${count}` : String(count));
      if (count !== 0) {
        const strength = Math.min(1, Math.abs(count) / total + 0.15);
        const good = difference ? (truth === read) === (count > 0) : truth === read;
        cell.style.background = good ? `rgba(46, 139, 87, ${strength})` : `rgba(200, 60, 50, ${strength})`;
        if (strength > 0.55) cell.style.color = "#fff";
      } else {
        cell.className = "zero";
      }
      line.append(cell);
    });
    body.append(line);
  });
  table.append(body);
  return table;
}

/** "109,386". */
function formatCount(value) {
  return Number.isFinite(value) ? value.toLocaleString("en-US") : "—";
}

/** "2.3 M" multiply-adds. */
function formatOperations(value) {
  if (!Number.isFinite(value)) return "—";
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)} G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return String(value);
}

/** "1 min 05 s", "12 s". */
function formatSeconds(seconds) {
  if (!Number.isFinite(seconds)) return "—";
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}
"""#

let recipeFormScript = #"""
// ---------- The recipe form ----------

const RecipeForm = (() => {
  const form = byId("recipe-form");
  const preset = byId("recipe-preset");
  const architecture = byId("recipe-architecture");
  const check = byId("architecture-check");
  const lengthUnit = byId("recipe-length-unit");
  const lengthLabel = byId("recipe-length-label");
  const length = byId("recipe-length");
  const learningRate = byId("recipe-learning-rate");
  const optimizer = byId("recipe-optimizer");
  const batchSize = byId("recipe-batch-size");
  const seed = byId("recipe-seed");
  const validation = byId("recipe-validation");
  const augmentOn = byId("recipe-augment-on");
  const augment = byId("recipe-augment");
  const includeSamples = byId("recipe-include-samples");
  const samplesWeight = byId("recipe-samples-weight");
  const sampleCountText = byId("recipe-sample-count");
  const cost = byId("recipe-cost");
  let presets = [];
  let architectureValid = false;
  let checkTimer = 0;
  let checkNumber = 0;
  let sampleCount = 0;

  async function load() {
    try {
      presets = await Api.get("api/training/presets");
    } catch (error) {
      reportError("Could not load the presets", error);
      return;
    }
    preset.replaceChildren(...presets.map((p) => {
      const option = makeElement("option", "", `${p.name} — ${formatCount(p.parameters)} parameters`);
      option.value = p.name;
      return option;
    }));
    preset.value = presets.some((p) => p.name === "mlp") ? "mlp" : presets[0]?.name;
    fill();
    refreshSampleCount();
  }

  /** Copies the chosen preset's settings into the fields. */
  function fill() {
    const chosen = presets.find((p) => p.name === preset.value);
    if (!chosen) return;
    architecture.value = chosen.architecture;
    lengthUnit.value = "epochs";
    length.value = String(chosen.epochs);
    learningRate.value = String(chosen.learningRate);
    optimizer.value = chosen.optimizer;
    batchSize.value = String(chosen.batchSize);
    seed.value = String(chosen.seed);
    validation.value = String(chosen.validation);
    augmentOn.checked = chosen.augment !== "none";
    augment.value = chosen.augment === "none" ? "" : chosen.augment;
    updateFields();
    checkArchitecture();
  }

  function updateFields() {
    lengthLabel.textContent = lengthUnit.value === "steps" ? "Steps" : "Epochs";
    augment.disabled = !augmentOn.checked;
    samplesWeight.disabled = !includeSamples.checked;
    includeSamples.disabled = sampleCount === 0;
    if (sampleCount === 0) includeSamples.checked = false;
    sampleCountText.textContent = sampleCount === 0 ? "(none saved yet)" : `(${sampleCount} saved)`;
  }

  async function refreshSampleCount() {
    try {
      sampleCount = (await Api.get("api/samples?limit=1")).total || 0;
    } catch {
      sampleCount = 0;
    }
    updateFields();
  }

  /** Asks the server about the architecture a moment after typing stops; only the newest answer counts. */
  function checkArchitectureSoon() {
    clearTimeout(checkTimer);
    architectureValid = false;
    TrainJob.updateButtons();
    checkTimer = setTimeout(checkArchitecture, 250);
  }

  async function checkArchitecture() {
    const number = ++checkNumber;
    const text = architecture.value.trim();
    try {
      const answer = await Api.get(`api/training/architecture?text=${encodeURIComponent(text)}`);
      if (number !== checkNumber) return;
      architectureValid = answer.valid;
      check.dataset.valid = String(answer.valid);
      check.textContent = answer.valid ? `✓ ${answer.canonical}` : answer.error;
      architecture.setAttribute("aria-invalid", String(!answer.valid));
      cost.textContent = answer.valid
        ? `${formatCount(answer.parameters)} parameters · ${formatOperations(answer.multiplyAdds)} multiply-adds per image`
        : "";
    } catch (error) {
      if (number !== checkNumber) return;
      architectureValid = false;
      check.dataset.valid = "false";
      check.textContent = `Could not check the architecture: ${error.message}`;
    }
    TrainJob.updateButtons();
  }

  /** The body of POST /api/training, or throws an Error naming the field to fix. */
  function body() {
    const number = (input, name) => {
      const value = Number(input.value);
      if (input.value.trim() === "" || !Number.isFinite(value)) throw new Error(`${name} must be a number`);
      return value;
    };
    const request = { kind: "new", preset: preset.value, architecture: architecture.value.trim() };
    request[lengthUnit.value] = number(length, lengthLabel.textContent);
    request.learningRate = number(learningRate, "Learning rate");
    request.optimizer = optimizer.value;
    request.batchSize = number(batchSize, "Batch size");
    request.seed = number(seed, "Seed");
    request.validation = number(validation, "Validation images");
    request.augment = augmentOn.checked && augment.value.trim() ? augment.value.trim() : "none";
    request.includeSamples = includeSamples.checked;
    if (includeSamples.checked) request.samplesWeight = number(samplesWeight, "Weight of my drawings");
    return request;
  }

  preset.addEventListener("change", fill);
  architecture.addEventListener("input", checkArchitectureSoon);
  for (const input of [lengthUnit, augmentOn, includeSamples]) input.addEventListener("change", updateFields);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    TrainJob.start();
  });

  return { load, body, refreshSampleCount, get valid() { return architectureValid; } };
})();
"""#

let trainJobScript = #"""
// ---------- The training job, live ----------

const TrainJob = (() => {
  const startButton = byId("train-start");
  const cancelButton = byId("train-cancel");
  const state = byId("train-state");
  const phase = byId("train-phase");
  const numbers = byId("train-numbers");
  const epochTable = byId("epoch-table");
  const resultBox = byId("train-result");
  const lossChart = makeStepChart(byId("train-loss"), { label: "loss per step" });
  const accuracyChart = makeStepChart(byId("train-accuracy"), { label: "accuracy per step", top: 100 });
  let job = { state: "idle" };
  let source = null;
  let pollTimer = 0;
  let starting = false;

  async function check() {
    clearTimeout(pollTimer);
    try {
      const status = await Api.get("api/training");
      if (status.state === "running") follow(status);
      else if (source === null) show(status);
    } catch {
      // The connection watcher reports an unreachable server; keep polling.
    }
    if (source === null) pollTimer = setTimeout(check, 3000);
  }

  async function start() {
    let body;
    try {
      body = RecipeForm.body();
    } catch (error) {
      Status.error(`Cannot start: ${error.message}`, "train");
      return;
    }
    starting = true;
    updateButtons();
    try {
      const status = await Api.post("api/training", body);
      Status.clearTag("train");
      follow(status);
    } catch (error) {
      reportError("Could not start training", error, "train");
    } finally {
      starting = false;
      updateButtons();
    }
  }

  async function cancel() {
    try {
      await Api.delete("api/training");
    } catch (error) {
      reportError("Could not cancel", error);
    }
  }

  function follow(status) {
    if (source !== null) return;
    lossChart.reset(status.steps);
    accuracyChart.reset(status.steps);
    show(status);
    source = openJobEvents({
      status: (fields) => show({ ...job, ...fields }),
      progress: (progress) => {
        lossChart.add(progress.step, progress.loss, progress.steps);
        accuracyChart.add(progress.step, 100 * progress.accuracy, progress.steps);
        document.body.dataset.chartPoints = String(Number(document.body.dataset.chartPoints || 0) + 1);
        show({ ...job, ...progress, state: "running" });
      },
      epoch: (row) => show({ ...job, epochRows: [...(job.epochRows || []), row] }),
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
    if (finalState === "finished") Versions.reload();
    if (finalState === "cancelled") Status.info("Training cancelled; no version was kept.", "train");
    if (finalState === "failed") Status.error(`Training failed: ${job.error || "no reason given"}`, "train");
    pollTimer = setTimeout(check, 3000);
  }

  function show(status) {
    job = status;
    const running = job.state === "running";
    state.textContent = job.state || "idle";
    state.dataset.state = job.state || "idle";
    document.body.dataset.trainState = job.state || "idle";
    phase.textContent = running && job.phase ? job.phase : "";
    const parts = [];
    if (job.kind === "finetune" && running) parts.push("Retraining on your samples (started on another page)");
    if (job.epochs) parts.push(`Epoch ${job.epoch || 1} of ${job.epochs}`);
    if (job.steps) parts.push(`step ${formatCount(job.step || 0)} of ${formatCount(job.steps)}`);
    if (Number.isFinite(job.loss)) parts.push(`loss ${job.loss.toFixed(4)}`);
    if (Number.isFinite(job.accuracy)) parts.push(`accuracy ${formatPercent(job.accuracy, 2)}`);
    if (running && Number.isFinite(job.imagesPerSecond)) parts.push(`${formatCount(Math.round(job.imagesPerSecond))} images/s`);
    if (running && Number.isFinite(job.secondsLeft)) parts.push(`${formatSeconds(job.secondsLeft)} left`);
    if (job.state === "interrupted") parts.push(job.error || "The studio was stopped while the last job ran.");
    numbers.textContent = parts.join(" · ");
    renderEpochs(job.epochRows || []);
    renderResult(job.state === "finished" ? job.result : null);
    updateButtons();
  }

  function renderEpochs(rows) {
    epochTable.hidden = rows.length === 0;
    epochTable.tBodies[0].replaceChildren(...rows.map((row) => {
      const line = makeElement("tr");
      for (const text of [String(row.epoch), row.trainLoss.toFixed(4), formatPercent(row.trainAccuracy, 2),
        Number.isFinite(row.validationAccuracy) ? formatPercent(row.validationAccuracy, 2) : "—",
        Number(row.learningRate.toPrecision(3)).toString(), row.seconds.toFixed(1)]) {
        line.append(makeElement("td", "", text));
      }
      return line;
    }));
  }

  /**
   * A new network's figures: MNIST test overall and per digit, the confusion matrix, your drawings. Drawn
   * once per result: the status is polled every few seconds, and redrawing would replace the buttons under
   * the pointer.
   */
  function renderResult(result) {
    resultBox.hidden = !result;
    const key = result ? `${result.kind}:${result.version}` : "";
    if (resultBox.dataset.shown === key) return;
    resultBox.dataset.shown = key;
    if (!result) {
      resultBox.replaceChildren();
      return;
    }
    if (result.kind !== "new") {
      resultBox.replaceChildren(makeElement("p", "verdict", result.accepted
        ? `Retraining made ${result.version}, now the current model.`
        : `Retraining made ${result.version}, kept aside: ${result.reason}`));
      return;
    }
    const headline = makeElement("p", "verdict",
      `${result.version}: ${formatPercent(result.mnistAccuracy, 2)} on MNIST test`
      + (Number.isFinite(result.samplesAccuracy) ? ` · ${formatPercent(result.samplesAccuracy, 1)} on ${result.samplesMeasured} of your drawings it did not train on` : "")
      + ` · ${formatCount(result.parameters)} parameters · ${result.seconds.toFixed(1)} s`);
    const recipe = makeElement("p", "muted small", `${result.preset} preset: ${result.recipe}; ${formatCount(result.trainingImages)} images per epoch`
      + (result.trainingSamples ? ` (${result.trainingSamples} of your drawings, repeated)` : ""));
    const perDigit = makeTable(["Digit", ...result.perDigit.map((_, digit) => String(digit))],
      [["MNIST test", ...result.perDigit.map((value) => formatPercent(value, 1))]], "data-table per-digit");
    const actions = makeElement("div", "toolbar");
    const makeCurrent = makeElement("button", "primary", `Make ${result.version} current`);
    makeCurrent.type = "button";
    makeCurrent.id = "result-make-current";
    makeCurrent.addEventListener("click", () => Versions.makeCurrent(result.version));
    const compare = makeElement("button", "", "Compare with the current model");
    compare.type = "button";
    compare.id = "result-compare";
    compare.addEventListener("click", async () => {
      const current = await Versions.currentVersion();
      Comparison.show(current, result.version);
    });
    actions.append(makeCurrent, compare);
    const scroll = makeElement("div", "table-scroll");
    scroll.append(perDigit);
    const matrix = makeElement("div", "table-scroll");
    matrix.append(confusionTable(result.confusion, { caption: "MNIST test: confusion matrix" }));
    resultBox.replaceChildren(headline, recipe, scroll, matrix, actions);
  }

  function updateButtons() {
    const running = job.state === "running";
    startButton.disabled = running || starting || !RecipeForm.valid;
    startButton.title = running ? "A job is running; wait for it or cancel it" : RecipeForm.valid ? "" : "Fix the architecture first";
    cancelButton.hidden = !running;
  }

  cancelButton.addEventListener("click", cancel);
  return { check, start, updateButtons };
})();
"""#

let trainPageStartScript = #"""
// ---------- Start ----------

RecipeForm.load();
TrainJob.check();
Versions.reload();
Connection.onReconnect(() => { Versions.reload(); RecipeForm.refreshSampleCount(); });
"""#
