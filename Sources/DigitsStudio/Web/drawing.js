// drawing.js — the part of studio.js that owns the drawing canvas: pointer input, strokes, undo and clear.
//
// Strokes are kept in CSS pixels of a square canvas whose side is an integer, exactly what the server's
// drawing endpoints take; only the canvas's backing store is scaled by devicePixelRatio, so lines stay
// sharp on high-DPI screens without changing the coordinates the server sees.

// ---------- Drawing ----------

const Drawing = (() => {
  const canvas = byId("canvas");
  const context = canvas.getContext("2d");
  const hint = byId("canvas-hint");
  const undoButton = byId("undo");
  const clearButton = byId("clear");
  const inkColor = "#16181d";

  // Overwritten by GET /api/config; these are the contract's defaults.
  const limits = { brushFraction: 0.075, maxPoints: 10000, maxStrokes: 1000 };

  let strokes = [];           // Each stroke: [[x, y], ...] in CSS pixels, 0 ≤ x, y ≤ side.
  let side = 0;               // The canvas side in CSS pixels, rounded to an integer.
  let activePointer = null;   // pointerId of the stroke being drawn, or null.
  let pointCount = 0;
  let warnedAboutLimit = false;
  let changeListener = () => {};

  // ---- Geometry ----

  /** Matches the canvas's backing store to its displayed size and the screen's pixel density. */
  function resize() {
    const rect = canvas.getBoundingClientRect();
    // Hidden (Number mode shows its own canvas): keep the drawing as it is. Rescaling it to a 1-pixel canvas
    // would round every point to a tenth of the side, and the canvas would come back blank until redrawn.
    if (rect.width === 0 || rect.height === 0) return;
    const newSide = Math.max(1, Math.round(rect.width));
    if (side > 0 && newSide !== side) rescaleStrokes(newSide / side, newSide);
    side = newSide;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
    context.setTransform(canvas.width / side, 0, 0, canvas.height / side, 0, 0);
    redraw();
  }

  /** After a resize (a rotated phone, a wider window) the drawing keeps its shape on the new canvas. */
  function rescaleStrokes(factor, newSide) {
    strokes = strokes.map((stroke) => stroke.map(([x, y]) => [tidy(x * factor, newSide), tidy(y * factor, newSide)]));
  }

  /** Clamps a coordinate to the canvas and rounds it to one decimal, as the requests carry it. */
  function tidy(value, limit = side) {
    return Math.round(Math.min(Math.max(value, 0), limit) * 10) / 10;
  }

  /** The pointer's position in canvas CSS pixels. */
  function pointFrom(event) {
    const rect = canvas.getBoundingClientRect();
    const scale = side / rect.width;
    return [tidy((event.clientX - rect.left) * scale), tidy((event.clientY - rect.top) * scale)];
  }

  function brushDiameter() {
    return limits.brushFraction * side;
  }

  // ---- Painting ----

  function prepareBrush() {
    context.strokeStyle = inkColor;
    context.fillStyle = inkColor;
    context.lineWidth = brushDiameter();
    context.lineCap = "round";
    context.lineJoin = "round";
  }

  /** A stroke of one point is a dot, as the server draws it. */
  function paintDot([x, y]) {
    context.beginPath();
    context.arc(x, y, brushDiameter() / 2, 0, Math.PI * 2);
    context.fill();
  }

  function paintSegment([x0, y0], [x1, y1]) {
    context.beginPath();
    context.moveTo(x0, y0);
    context.lineTo(x1, y1);
    context.stroke();
  }

  function paintStroke(stroke) {
    if (stroke.length === 1) return paintDot(stroke[0]);
    context.beginPath();
    context.moveTo(stroke[0][0], stroke[0][1]);
    for (const [x, y] of stroke.slice(1)) context.lineTo(x, y);
    context.stroke();
  }

  function redraw() {
    context.clearRect(0, 0, side, side);
    prepareBrush();
    strokes.forEach(paintStroke);
  }

  // ---- Pointer input ----

  function onPointerDown(event) {
    if (activePointer !== null) return;                          // A second finger does not draw.
    if (event.pointerType === "mouse" && event.button !== 0) return;
    event.preventDefault();
    if (strokes.length >= limits.maxStrokes || pointCount >= limits.maxPoints) return warnLimit();
    canvas.setPointerCapture(event.pointerId);
    activePointer = event.pointerId;
    const point = pointFrom(event);
    strokes.push([point]);
    pointCount += 1;
    prepareBrush();
    paintDot(point);
    changed("draw");
  }

  function onPointerMove(event) {
    if (event.pointerId !== activePointer) return;
    event.preventDefault();
    const stroke = strokes[strokes.length - 1];
    // Coalesced events carry the positions the browser merged into this one: smoother fast strokes.
    const samples = typeof event.getCoalescedEvents === "function" ? event.getCoalescedEvents() : [];
    let added = false;
    for (const sample of samples.length > 0 ? samples : [event]) added = addPoint(stroke, pointFrom(sample)) || added;
    if (added) changed("draw");
  }

  /** Adds a point unless it is too close to the last one (saves points, looks the same). */
  function addPoint(stroke, point) {
    const last = stroke[stroke.length - 1];
    const minimumGap = Math.max(0.5, side / 250);
    if (Math.hypot(point[0] - last[0], point[1] - last[1]) < minimumGap) return false;
    if (pointCount >= limits.maxPoints) {
      warnLimit();
      return false;
    }
    stroke.push(point);
    pointCount += 1;
    prepareBrush();
    paintSegment(last, point);
    return true;
  }

  function onPointerEnd(event) {
    if (event.pointerId !== activePointer) return;
    activePointer = null;
    if (canvas.hasPointerCapture(event.pointerId)) canvas.releasePointerCapture(event.pointerId);
    changed("end");
  }

  function warnLimit() {
    if (warnedAboutLimit) return;
    warnedAboutLimit = true;
    Status.error(`This drawing has reached the server's limit (${limits.maxPoints} points, ${limits.maxStrokes} strokes). Undo or clear to go on.`);
  }

  // ---- Editing ----

  function clear() {
    if (strokes.length === 0) return;
    strokes = [];
    finishEdit();
  }

  function undo() {
    if (strokes.length === 0) return;
    strokes.pop();
    finishEdit();
  }

  function finishEdit() {
    activePointer = null;
    pointCount = strokes.reduce((sum, stroke) => sum + stroke.length, 0);
    warnedAboutLimit = false;
    redraw();
    changed("edit");
  }

  /** kind: "draw" (points added), "end" (a stroke finished) or "edit" (undo or clear). */
  function changed(kind) {
    const empty = strokes.length === 0;
    hint.hidden = !empty;
    undoButton.disabled = empty;
    clearButton.disabled = empty;
    changeListener(kind);
  }

  // ---- Setup ----

  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerEnd);
  canvas.addEventListener("pointercancel", onPointerEnd);
  canvas.addEventListener("lostpointercapture", onPointerEnd);
  canvas.addEventListener("contextmenu", (event) => event.preventDefault()); // Long presses on touch screens.
  undoButton.addEventListener("click", undo);
  clearButton.addEventListener("click", clear);
  new ResizeObserver(resize).observe(canvas);
  window.addEventListener("resize", resize); // Also catches page zoom, which changes devicePixelRatio.
  resize();

  return {
    clear,
    undo,
    /** Applies GET /api/config. */
    configure(config) {
      for (const key of Object.keys(limits)) {
        if (typeof config[key] === "number" && config[key] > 0) limits[key] = config[key];
      }
      redraw();
    },
    /** Calls `listener(kind)` after every change to the drawing. */
    onChange(listener) { changeListener = listener; },
    get isEmpty() { return strokes.length === 0; },
    get isDrawing() { return activePointer !== null; },
    /** The drawing as the server's endpoints take it (a copy, safe to keep while drawing goes on). */
    snapshot() {
      return { width: side, height: side, strokes: strokes.map((stroke) => stroke.map((point) => [point[0], point[1]])) };
    },
  };
})();
