// training_chart.js — the live line charts of a training job (value per step), shared by the
// Studio page (loss), the Model page and the Train page (loss and accuracy), and the job's event stream.

// ---------- The job's event stream ----------

/**
 * Follows GET /api/training/events: `status` while running, `progress`, `epoch` and `phase` as they come,
 * then `end(state, fields)` once (finished, failed, cancelled, or a final status). `closed()` is called when
 * the browser gives up on the stream without an end. Returns the EventSource.
 */
function openJobEvents({ status = () => {}, progress = () => {}, epoch = () => {}, phase = () => {}, end, closed }) {
  const source = new EventSource("api/training/events");
  const read = (event) => { try { return JSON.parse(event.data || "{}"); } catch { return {}; } };
  source.addEventListener("status", (event) => {
    const fields = read(event);
    if (fields.state === "running") status(fields);
    else end(fields.state, fields);
  });
  source.addEventListener("progress", (event) => progress(read(event)));
  source.addEventListener("epoch", (event) => epoch(read(event)));
  source.addEventListener("phase", (event) => phase(read(event).phase));
  source.addEventListener("finished", (event) => end("finished", read(event)));
  source.addEventListener("failed", (event) => end("failed", read(event)));
  source.addEventListener("cancelled", () => end("cancelled", {}));
  source.addEventListener("error", () => { if (source.readyState === EventSource.CLOSED) closed(); });
  return source;
}

// ---------- Step charts ----------

/**
 * A small line chart on its own canvas: a value (y, from 0) against step (x, 0 to the job's steps).
 * `label` names the y value under the x axis; `top` fixes the top of the y axis (100 for percentages),
 * otherwise it is the next round number above the largest value.
 */
function makeStepChart(canvas, { label = "loss per step", top = null } = {}) {
  const context = canvas.getContext("2d");
  const margin = { left: 46, right: 10, top: 10, bottom: 24 };
  const colors = { line: "#2455c3", grid: "#e3e6eb", label: "#555d6b" };
  let points = [];            // [step, value] in arrival order.
  let totalSteps = 1;
  let frameRequest = 0;

  function reset(steps) {
    points = [];
    totalSteps = Math.max(1, steps || 1);
    redrawSoon();
  }

  function add(step, value, steps) {
    if (steps) totalSteps = Math.max(1, steps);
    if (Number.isFinite(step) && Number.isFinite(value)) points.push([step, value]);
    redrawSoon();
  }

  /** Progress events can come hundreds a second; draw at most once per frame. */
  function redrawSoon() {
    if (frameRequest === 0) frameRequest = requestAnimationFrame(redraw);
  }

  function redraw() {
    frameRequest = 0;
    canvas.hidden = points.length === 0;
    const rect = canvas.getBoundingClientRect();
    if (canvas.hidden || rect.width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(rect.width * ratio);
    canvas.height = Math.round(rect.height * ratio);
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, rect.width, rect.height);

    const area = {
      left: margin.left, top: margin.top,
      width: rect.width - margin.left - margin.right, height: rect.height - margin.top - margin.bottom,
    };
    const highest = top || niceCeiling(Math.max(...points.map(([, value]) => value)));
    drawAxes(area, highest);
    drawLine(area, highest);
  }

  /** The next "round" number at or above a value (0.37 → 0.4, 2.3 → 2.5), so the axis reads well. */
  function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const magnitude = 10 ** Math.floor(Math.log10(value));
    const step = [1, 2, 2.5, 5, 10].find((factor) => factor * magnitude >= value);
    return step * magnitude;
  }

  function drawAxes(area, highest) {
    context.font = "11px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    context.fillStyle = colors.label;
    context.strokeStyle = colors.grid;
    context.lineWidth = 1;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const fraction of [0, 0.5, 1]) {
      const y = Math.round(area.top + area.height * (1 - fraction)) + 0.5;
      context.beginPath();
      context.moveTo(area.left, y);
      context.lineTo(area.left + area.width, y);
      context.stroke();
      context.fillText(formatTick(highest * fraction), area.left - 6, y);
    }
    context.textBaseline = "top";
    const baseline = area.top + area.height + 6;
    context.textAlign = "left";
    context.fillText("step 0", area.left, baseline);
    context.textAlign = "right";
    context.fillText(String(totalSteps), area.left + area.width, baseline);
    context.textAlign = "center";
    context.fillText(label, area.left + area.width / 2, baseline);
  }

  /** 1.25 → "1.25", 2.5 → "2.5", 0 → "0": at most two decimals, no trailing zeros. */
  function formatTick(value) {
    return String(Number(value.toFixed(2)));
  }

  function drawLine(area, highest) {
    const x = (step) => area.left + area.width * Math.min(step / totalSteps, 1);
    const y = (value) => area.top + area.height * (1 - Math.min(value / highest, 1));
    context.strokeStyle = colors.line;
    context.lineWidth = 2;
    context.lineJoin = "round";
    context.beginPath();
    points.forEach(([step, value], index) => {
      if (index === 0) context.moveTo(x(step), y(value));
      else context.lineTo(x(step), y(value));
    });
    context.stroke();
  }

  new ResizeObserver(redrawSoon).observe(canvas);
  canvas.hidden = true;
  return { reset, add };
}
