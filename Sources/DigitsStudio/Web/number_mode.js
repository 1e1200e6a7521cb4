// number_mode.js — the Draw page's Number mode: a wide canvas (brush sized to its height), the
// number read live by `POST /api/read` as it is written, each digit shown as the network saw it with its
// confidence; clicking a digit corrects it, saving that digit's strokes alone as a sample.

// ---------- Number mode ----------

const NumberMode = (() => {
  const card = byId("number-card");
  const digitMode = byId("digit-mode");
  const digitButton = byId("mode-digit");
  const numberButton = byId("mode-number");
  const canvas = byId("number-canvas");
  const context = canvas.getContext("2d");
  const hint = byId("number-hint");
  const undoButton = byId("number-undo");
  const clearButton = byId("number-clear");
  const textOutput = byId("number-text");
  const reasonText = byId("number-reason");
  const modelText = byId("number-model");
  const list = byId("number-digits");
  const picker = byId("number-picker");
  const pickerButtons = byId("number-picker-buttons");
  const brushFraction = 0.075;
  let strokes = [];            // [[x, y], ...] in CSS pixels of the canvas, rounded to 0.1.
  let size = { width: 0, height: 0 };
  let activePointer = null;
  let inFlight = false, pending = false, generation = 0;
  let elements = [];           // The digits of the last answer.
  let correcting = null;       // The element being corrected.

  function setMode(number) {
    card.hidden = !number;
    digitMode.hidden = number;
    digitButton.setAttribute("aria-pressed", String(!number));
    numberButton.setAttribute("aria-pressed", String(number));
    document.body.dataset.mode = number ? "number" : "digit";
    if (number) resize();
  }

  // ---- Canvas ----

  function resize() {
    const rect = canvas.getBoundingClientRect();
    if (rect.width === 0) return;
    const width = Math.max(1, Math.round(rect.width)), height = Math.max(1, Math.round(rect.height));
    if (size.width > 0 && (width !== size.width || height !== size.height)) {
      const [fx, fy] = [width / size.width, height / size.height];
      strokes = strokes.map((stroke) => stroke.map(([x, y]) => [tidy(x * fx, width), tidy(y * fy, height)]));
    }
    size = { width, height };
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    context.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
    redraw();
  }

  function tidy(value, limit) {
    return Math.round(Math.min(Math.max(value, 0), limit) * 10) / 10;
  }

  function pointFrom(event) {
    const rect = canvas.getBoundingClientRect();
    return [tidy((event.clientX - rect.left) * size.width / rect.width, size.width),
            tidy((event.clientY - rect.top) * size.height / rect.height, size.height)];
  }

  function redraw() {
    context.clearRect(0, 0, size.width, size.height);
    context.strokeStyle = context.fillStyle = "#16181d";
    context.lineWidth = brushFraction * Math.min(size.width, size.height);
    context.lineCap = context.lineJoin = "round";
    for (const stroke of strokes) {
      context.beginPath();
      if (stroke.length === 1) {
        context.arc(stroke[0][0], stroke[0][1], context.lineWidth / 2, 0, Math.PI * 2);
        context.fill();
        continue;
      }
      context.moveTo(stroke[0][0], stroke[0][1]);
      for (const [x, y] of stroke.slice(1)) context.lineTo(x, y);
      context.stroke();
    }
    hint.hidden = strokes.length > 0;
    undoButton.disabled = clearButton.disabled = strokes.length === 0;
  }

  function onPointerDown(event) {
    if (activePointer !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    activePointer = event.pointerId;
    strokes.push([pointFrom(event)]);
    redraw();
    readSoon();
  }

  function onPointerMove(event) {
    if (event.pointerId !== activePointer) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    const stroke = strokes[strokes.length - 1];
    for (const each of events.length ? events : [event]) stroke.push(pointFrom(each));
    redraw();
    readSoon();
  }

  function onPointerUp(event) {
    if (event.pointerId !== activePointer) return;
    activePointer = null;
    readSoon();
  }

  function undo() {
    strokes.pop();
    redraw();
    readSoon();
  }

  function clear() {
    strokes = [];
    redraw();
    readSoon();
  }

  // ---- Reading ----

  function body() {
    return { width: size.width, height: size.height, strokes: strokes.map((stroke) => stroke.map((p) => [p[0], p[1]])) };
  }

  /** One request in flight at a time; the latest drawing is always sent last. */
  function readSoon() {
    generation += 1;
    if (inFlight) { pending = true; return; }
    send();
  }

  async function send() {
    inFlight = true;
    pending = false;
    const sentGeneration = generation;
    try {
      const answer = strokes.length === 0 ? { text: "", digits: [], reason: "Write a number" } : await Api.post("api/read?input=1", body());
      if (sentGeneration === generation || !pending) show(answer);
    } catch (error) {
      reportError("Could not read the number", error, "number");
    } finally {
      inFlight = false;
      if (pending) send();
    }
  }

  function show(answer) {
    elements = answer.digits || [];
    textOutput.textContent = answer.text || "";
    reasonText.textContent = answer.digits && answer.digits.length ? "" : (answer.reason || "");
    modelText.textContent = answer.model ? `model ${answer.model}` : "";
    document.body.dataset.numberReads = String(Number(document.body.dataset.numberReads || 0) + 1);
    document.body.dataset.numberText = answer.text || "";
    list.replaceChildren(...elements.map((element, index) => tile(element, index)));
  }

  function tile(element, index) {
    const item = makeElement("li");
    const button = makeElement("button", "number-digit");
    button.type = "button";
    button.dataset.index = String(index);
    button.dataset.digit = element.digit === null ? "" : String(element.digit);
    const picture = makeElement("canvas");
    picture.width = picture.height = 28;
    const image = picture.getContext("2d").createImageData(28, 28);
    (element.input || []).forEach((value, pixel) => {
      const shade = Math.round(255 * (1 - value));
      image.data.set([shade, shade, shade, 255], pixel * 4);
    });
    picture.getContext("2d").putImageData(image, 0, 0);
    const top = Math.max(...element.probabilities);
    const label = element.digit === null ? "?" : String(element.digit);
    button.setAttribute("aria-label", `Digit ${index + 1}: ${element.digit === null ? "not a digit" : label}, ${formatPercent(top, 0)}. Click to correct.`);
    button.append(picture, makeElement("span", "value", label),
      makeElement("span", "confidence", element.digit === null ? "not a digit" : formatPercent(top, 0)));
    button.addEventListener("click", () => startCorrection(element));
    item.append(button);
    return item;
  }

  // ---- Correcting one digit ----

  function startCorrection(element) {
    correcting = element;
    picker.hidden = false;
    pickerButtons.querySelector("button")?.focus();
  }

  /** The element's strokes alone, centred on a square canvas as tall as the number's (the same brush). */
  function elementDrawing(element) {
    const chosen = element.strokes.map((index) => strokes[index]).filter(Boolean);
    const xs = chosen.flat().map((p) => p[0]);
    const side = size.height;
    const shift = side / 2 - (Math.min(...xs) + Math.max(...xs)) / 2;
    return { width: side, height: side, strokes: chosen.map((stroke) => stroke.map(([x, y]) => [tidy(x + shift, side), tidy(y, side)])) };
  }

  async function save(label) {
    const element = correcting;
    picker.hidden = true;
    correcting = null;
    if (!element || element.strokes.length === 0) return;
    try {
      const saved = await Api.post("api/samples", { ...elementDrawing(element), label, prediction: element.digit === null ? undefined : element.digit });
      Status.ok(`Saved as ${saved.label} (#${saved.id})`, "number");
      Samples.reload();
    } catch (error) {
      reportError("Could not save the digit", error, "number");
    }
  }

  for (let digit = 0; digit <= 9; digit += 1) {
    const button = makeElement("button", "", String(digit));
    button.type = "button";
    button.addEventListener("click", () => save(digit));
    pickerButtons.append(button);
  }
  byId("number-picker-cancel").addEventListener("click", () => { picker.hidden = true; correcting = null; });
  canvas.addEventListener("pointerdown", onPointerDown);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerup", onPointerUp);
  canvas.addEventListener("pointercancel", onPointerUp);
  undoButton.addEventListener("click", undo);
  clearButton.addEventListener("click", clear);
  digitButton.addEventListener("click", () => setMode(false));
  numberButton.addEventListener("click", () => setMode(true));
  new ResizeObserver(() => { if (!card.hidden) resize(); }).observe(canvas);
  return { setMode };
})();
