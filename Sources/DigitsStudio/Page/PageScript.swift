// PageScript.swift — the order of studio.js's parts, and the last part, which wires them together and starts the page.

/// The parts of `GET /studio.js`, joined in this order. The core comes first (it turns on strict mode
/// and defines what the others use); `startScript` comes last, once every module exists.
let scriptParts: [String] = [
    coreScript,
    drawingScript,
    predictScript,
    predictViewScript,
    feedbackScript,
    samplesScript,
    trainingChartScript,
    trainingScript,
    modelScript,
    numberModeScript,
    startScript,
]

let startScript = #"""
// ---------- Start ----------

(async function startStudio() {
  document.body.dataset.predictions = "0";
  Drawing.onChange(() => Prediction.drawingChanged());
  Prediction.onChange(() => Feedback.update());
  Connection.onReconnect(loadConfig);

  await loadConfig();
  Model.reload();
  Samples.reload();
  Training.reload();
})();

/** GET /api/config: the brush size and limits the server draws with, and whether it wants a token. */
async function loadConfig() {
  try {
    const config = await Api.get("api/config");
    Drawing.configure(config);
    if (config.tokenRequired && !Token.value) Status.error(Token.missingMessage, "token");
  } catch (error) {
    reportError("Could not load the studio settings (using the defaults)", error);
  }
}
"""#
