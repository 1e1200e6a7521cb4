// predict_view.js — the part of studio.js that shows a prediction: the digit, the ten bars, and what the network sees.

// ---------- Prediction view ----------

/** The large digit, its confidence, the "Draw a digit" prompt and the ten confidence bars. */
const PredictionView = (() => {
  const digitText = byId("prediction-digit");
  const confidenceText = byId("prediction-confidence");
  const prompt = byId("prediction-prompt");
  const promptTitle = byId("prediction-prompt-title");
  const reasonText = byId("prediction-reason");
  const modelText = byId("prediction-model");
  const barList = byId("bars");
  const card = barList.closest(".card");
  const bars = [];

  /** One row per digit: the digit, a track with its fill, the percentage. */
  function buildBars() {
    for (let digit = 0; digit <= 9; digit += 1) {
      const bar = makeElement("li", "bar");
      bar.dataset.digit = String(digit);
      bar.dataset.probability = "0";
      const track = makeElement("span", "bar-track");
      const fill = makeElement("span", "bar-fill");
      track.append(fill);
      const value = makeElement("span", "bar-value", "");
      bar.append(makeElement("span", "bar-digit", String(digit)), track, value);
      barList.append(bar);
      bars.push({ bar, fill, value });
    }
  }

  /** probabilities: ten numbers, or null to empty the bars. */
  function setBars(probabilities) {
    const top = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
    bars.forEach(({ bar, fill, value }, digit) => {
      const probability = probabilities ? probabilities[digit] : 0;
      bar.dataset.probability = String(probability);
      bar.classList.toggle("top", digit === top);
      fill.style.transform = `scaleX(${Math.min(Math.max(probability, 0), 1)})`;
      value.textContent = probabilities ? formatPercent(probability) : "";
    });
  }

  /** Shows an answer from the server: a digit, "not a digit", or the reason there is none. */
  function show(answer) {
    markStale(false);
    modelText.textContent = answer.model ? `model ${answer.model}` : "";
    if (saysNotADigit(answer)) {
      showNotADigit(answer.probabilities);
      return;
    }
    if (typeof answer.digit !== "number" || !Array.isArray(answer.probabilities)) {
      showPrompt(answer.reason || "");
      return;
    }
    card.classList.remove("rejected");
    digitText.textContent = String(answer.digit);
    confidenceText.textContent = `${formatPercent(answer.probabilities[answer.digit], 0)} sure`;
    prompt.hidden = true;
    setBars(answer.probabilities);
  }

  /** The model says the drawing is none of 0–9: "Not a digit" instead of a guess; the bars, dimmed, still show
   *  what it would have answered had it been made to choose (its rule looks at how familiar the drawing is to it,
   *  not at the largest bar). */
  function showNotADigit(probabilities) {
    digitText.textContent = "";
    confidenceText.textContent = "";
    promptTitle.textContent = "Not a digit";
    reasonText.textContent = "This model reads none of 0–9 here. A digit after all? Wrong lets you say which. Dimmed: what it would guess if made to.";
    prompt.hidden = false;
    card.classList.add("rejected");
    setBars(probabilities);
  }

  /** Nothing to predict: "Draw a digit", with the server's reason when it found no digit. */
  function showPrompt(reason) {
    markStale(false);
    card.classList.remove("rejected");
    digitText.textContent = "";
    confidenceText.textContent = "";
    promptTitle.textContent = "Draw a digit";
    reasonText.textContent = reason;
    prompt.hidden = false;
    setBars(null);
  }

  /** Dims the guess while it belongs to an older drawing that could not be sent (server unreachable). */
  function markStale(stale) {
    card.classList.toggle("stale", stale);
  }

  buildBars();
  return { show, showPrompt, markStale };
})();

// ---------- What the network sees ----------

/** The 28×28 input as an enlarged heatmap, and, when the toggle is on, every preprocessing stage. */
const NetworkView = (() => {
  const inputCanvas = byId("network-input");
  const toggle = byId("stages-toggle");
  const stageList = byId("stages");

  // Heatmap colors from no ink to full ink: deep navy, blue, near white.
  const colorStops = [
    [0.0, [15, 23, 42]],
    [0.55, [52, 104, 214]],
    [1.0, [244, 247, 252]],
  ];

  /** The heatmap color of an intensity in [0, 1], as [r, g, b]. */
  function heatColor(value) {
    const v = Math.min(Math.max(value, 0), 1);
    for (let i = 1; i < colorStops.length; i += 1) {
      const [end, high] = colorStops[i];
      const [start, low] = colorStops[i - 1];
      if (v <= end) {
        const t = (v - start) / (end - start);
        return low.map((channel, c) => Math.round(channel + (high[c] - channel) * t));
      }
    }
    return colorStops[colorStops.length - 1][1];
  }

  /** Paints `values` (row-major, each in [0, 1]) on a canvas of `width × height` pixels. */
  function paintHeatmap(canvas, width, height, values) {
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i += 1) {
      const [r, g, b] = heatColor(values ? values[i] : 0);
      image.data.set([r, g, b, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
  }

  function showStages(stages) {
    // Reuse the figures when the list keeps its shape, so the stages do not flicker while drawing.
    const figures = Array.from(stageList.children);
    if (figures.length !== stages.length) {
      stageList.replaceChildren(...stages.map(() => makeStageFigure()));
    }
    stages.forEach((stage, index) => {
      const figure = stageList.children[index];
      const pixels = stage.pixels.map((value) => value / 255);
      paintHeatmap(figure.querySelector("canvas"), stage.width, stage.height, pixels);
      figure.dataset.stage = stage.name;
      figure.querySelector(".stage-name").textContent = stage.name;
      figure.querySelector(".stage-size").textContent = `${stage.width}×${stage.height}`;
      figure.querySelector("canvas").setAttribute("aria-label", `Stage “${stage.name}”, ${stage.width} by ${stage.height} pixels`);
    });
  }

  function makeStageFigure() {
    const figure = makeElement("figure", "stage");
    const canvas = makeElement("canvas", "pixelated");
    canvas.setAttribute("role", "img");
    const caption = makeElement("figcaption");
    caption.append(makeElement("strong", "stage-name"), makeElement("span", "stage-size"));
    figure.append(canvas, caption);
    return figure;
  }

  /** Shows what came with a prediction (`input`, `stages`), or empties the view when answer is null. */
  function show(answer) {
    const input = answer && Array.isArray(answer.input) ? answer.input : null;
    paintHeatmap(inputCanvas, 28, 28, input);
    const stages = answer && toggle.checked && Array.isArray(answer.stages) ? answer.stages : [];
    showStages(stages);
  }

  toggle.addEventListener("change", () => {
    stageList.hidden = !toggle.checked;
    if (!toggle.checked) stageList.replaceChildren();
    Prediction.refresh();
  });
  stageList.hidden = !toggle.checked; // A browser may restore the checkbox on reload.
  paintHeatmap(inputCanvas, 28, 28, null);

  return {
    show,
    get stagesWanted() { return toggle.checked; },
  };
})();
