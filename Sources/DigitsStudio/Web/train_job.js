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
