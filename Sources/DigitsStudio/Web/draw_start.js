// draw_start.js — the order of studio.js's parts, and the last part, which wires them together and starts the page.

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
