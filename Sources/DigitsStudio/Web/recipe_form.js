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
