// training.js — the part of studio.js that starts and cancels retraining and follows its event stream.
//
// The job lives on the server; the page only mirrors it. It starts the job (POST /api/training), then
// listens to /api/training/events: `status` first, then `progress` and `phase` events, and one final
// `finished`, `failed` or `cancelled`, after which the page closes the stream (an EventSource left open
// would reconnect forever). On load, and after the server comes back, GET /api/training tells whether
// a job is running to attach to.

// ---------- Retraining ----------

const LossChart = makeStepChart(byId("loss-chart"), { label: "loss per step" });

const Training = (() => {
  const retrainButton = byId("retrain");
  const cancelButton = byId("cancel-training");
  const stateBadge = byId("training-state");
  const phaseText = byId("training-phase");
  const live = byId("training-live");
  const progressBar = byId("training-progress");
  const numbers = byId("training-numbers");
  const errorText = byId("training-error");
  const phaseNames = { evaluating: "evaluating the current model", training: "training", saving: "saving the new model" };

  let job = { state: "idle" };   // The latest job status, updated by the events.
  let source = null;             // The open EventSource, or null.
  let starting = false;
  let renderRequest = 0;

  const isRunning = () => job.state === "running";

  async function start() {
    if (starting || isRunning()) return;
    starting = true;
    updateButtons();
    try {
      const status = await Api.post("api/training");
      LossChart.reset(status.steps);
      job = status;
      render();
      if (isRunning()) attach();
      Status.clearTag("training"); // The panel shows the new job; the last job's message is old news.
    } catch (error) {
      reportError("Could not start retraining", error);
    } finally {
      starting = false;
      updateButtons();
    }
  }

  async function cancel() {
    cancelButton.disabled = true;
    try {
      await Api.delete("api/training"); // The stream's `cancelled` event reports the end.
    } catch (error) {
      reportError("Could not cancel the retraining", error);
      if (error.status === 409) reload(); // It had already ended.
    } finally {
      cancelButton.disabled = false;
    }
  }

  /** GET /api/training: shows the current or last job, and follows it if it is running. */
  async function reload() {
    try {
      job = await Api.get("api/training");
      render();
      if (isRunning()) attach();
    } catch (error) {
      reportError("Could not read the retraining status", error);
    }
  }

  // ---- The event stream ----

  function attach() {
    if (source !== null) return;
    source = new EventSource("api/training/events");
    source.addEventListener("status", (event) => onStatus(readEvent(event)));
    source.addEventListener("progress", (event) => onProgress(readEvent(event)));
    source.addEventListener("phase", (event) => onPhase(readEvent(event)));
    source.addEventListener("finished", (event) => end("finished", readEvent(event)));
    source.addEventListener("failed", (event) => end("failed", readEvent(event)));
    source.addEventListener("cancelled", () => end("cancelled", {}));
    source.addEventListener("error", onStreamError);
  }

  function detach() {
    if (source !== null) source.close();
    source = null;
  }

  function readEvent(event) {
    try {
      return event.data ? JSON.parse(event.data) : {};
    } catch {
      return {};
    }
  }

  /** Sent first on every connection, including the browser's own reconnections. */
  function onStatus(status) {
    Status.clearTag("training-stream");
    if (status.state === "running") {
      job = status;
      renderSoon();
    } else {
      end(status.state, status); // The job ended before or while we connected.
    }
  }

  function onProgress({ step, steps, loss, accuracy }) {
    job = { ...job, state: "running", step, steps, loss, accuracy };
    LossChart.add(step, loss, steps);
    renderSoon();
  }

  function onPhase({ phase }) {
    job = { ...job, phase };
    renderSoon();
  }

  /** The job is over: show how it ended, close the stream, and pick up a new model. */
  function end(state, fields) {
    detach();
    job = { ...job, ...fields, state };
    render();
    announce();
    if (state === "finished") {
      Model.reload();
      Prediction.refresh();
    }
  }

  function announce() {
    const result = job.result;
    if (job.state === "finished" && result) {
      if (result.kind === "new") {
        Status.info(`A new network, ${result.version}, was trained on the Train page (${formatPercent(result.mnistAccuracy, 2)} on MNIST test); make it current there to draw with it.`, "training");
      } else if (result.accepted) Status.ok(`Retrained: ${result.version} is now the active model.`, "training");
      else Status.info(`Retrained, but ${result.version} was kept aside: ${result.reason}`, "training");
    } else if (job.state === "failed") {
      Status.error(`Retraining failed: ${job.error || "the server gave no reason"}`, "training");
    } else if (job.state === "cancelled") {
      Status.info("Retraining cancelled; the model is unchanged.", "training");
    } else {
      Status.clearTag("training");
    }
  }

  /** The browser reconnects by itself while the stream is CONNECTING; CLOSED means it gave up. */
  function onStreamError() {
    if (source === null) return;
    if (source.readyState === EventSource.CLOSED) {
      detach();
      Status.error("Lost the retraining progress stream; checking the job again…", "training-stream");
      setTimeout(reload, 3000);
    } else {
      Status.info("Reconnecting to the retraining progress…", "training-stream");
    }
  }

  // ---- Showing the job ----

  function renderSoon() {
    if (renderRequest === 0) {
      renderRequest = requestAnimationFrame(() => {
        renderRequest = 0;
        render();
      });
    }
  }

  function render() {
    const state = job.state || "idle";
    stateBadge.textContent = state;
    stateBadge.dataset.state = state;
    phaseText.textContent = state === "running" && job.phase ? phaseNames[job.phase] || job.phase : "";
    live.hidden = state === "idle";
    progressBar.max = Math.max(1, job.steps || 1);
    progressBar.value = Math.min(job.step || 0, progressBar.max);
    numbers.textContent = describeProgress();
    errorText.hidden = state !== "failed";
    errorText.textContent = state === "failed" ? `Failed: ${job.error || "no reason given"}` : "";
    TrainingResult.show(state === "finished" ? job.result : null);
    updateButtons();
  }

  function describeProgress() {
    if (!job.steps) return "";
    const loss = Number.isFinite(job.loss) ? job.loss.toFixed(3) : "—";
    return `Step ${job.step || 0} of ${job.steps} · loss ${loss} · batch accuracy ${formatPercent(job.accuracy)}`;
  }

  /** Retrain needs saved samples and no job under way. */
  function updateButtons() {
    retrainButton.disabled = starting || isRunning() || Samples.total === 0;
    retrainButton.title = Samples.total === 0 ? "Save a few samples first" : "";
    cancelButton.hidden = !isRunning();
  }

  retrainButton.addEventListener("click", start);
  cancelButton.addEventListener("click", cancel);
  Connection.onReconnect(reload);

  return { reload, updateButtons };
})();

// ---------- Retraining result ----------

/** Before and after, on MNIST and on the held-back samples, and whether the new model was accepted. */
const TrainingResult = (() => {
  const box = byId("training-result");

  function show(result) {
    box.hidden = !result;
    if (!result) {
      box.replaceChildren();
      delete box.dataset.accepted;
      return;
    }
    if (result.kind === "new") {
      box.dataset.accepted = "false";
      box.replaceChildren(makeElement("p", "verdict", `New network ${result.version} trained on the Train page: ${formatPercent(result.mnistAccuracy, 2)} on MNIST test. It is not in use until you make it current there.`));
      return;
    }
    box.dataset.accepted = String(Boolean(result.accepted));
    const verdict = result.accepted
      ? `Accepted: ${result.version} is now the active model.`
      : `Kept aside: ${result.version} is saved but not used.`;
    box.replaceChildren(
      makeElement("p", "verdict", verdict),
      makeElement("p", "reason", result.reason || ""),
      comparisons(result),
    );
  }

  function comparisons(result) {
    const list = makeElement("dl", "compare");
    addRow(list, "MNIST test accuracy", beforeAfter(result.mnistBefore, result.mnistAfter, 2));
    const heldBack = typeof result.samplesBefore === "number" && typeof result.samplesAfter === "number";
    addRow(list, heldBack ? `Your ${result.heldOut} held-back samples` : "Your held-back samples",
      heldBack ? beforeAfter(result.samplesBefore, result.samplesAfter, 0) : "too few samples to hold any back");
    const seconds = Number.isFinite(result.seconds) ? ` · ${result.seconds.toFixed(1)} s` : "";
    addRow(list, "Trained on", `${result.trainingSamples} samples · ${result.steps} steps${seconds}`);
    return list;
  }

  /** "98.41% → 98.38% (−0.03 points)". */
  function beforeAfter(before, after, digits) {
    const change = (after - before) * 100;
    const sign = change > 0 ? "+" : change < 0 ? "−" : "±";
    return `${formatPercent(before, digits)} → ${formatPercent(after, digits)} (${sign}${Math.abs(change).toFixed(digits)} points)`;
  }

  function addRow(list, term, value) {
    const row = makeElement("div");
    row.append(makeElement("dt", "", term), makeElement("dd", "", value));
    list.append(row);
  }

  return { show };
})();
