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
