// ModelPageHTML.swift — the Model page's HTML skeleton, served at `GET /model`.
//
// The page shows the current model the way `digits report` does, next to the user's own handwriting:
// accuracy, per-digit bars and a clickable confusion matrix for "your handwriting" and "MNIST test", the
// training curves (and live curves while a retraining runs), and what the first layer learned. The
// figures come from the server as SVG (`GET /api/model/insights`); `model.js` places them.

let modelPageHTML = #"""
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light">
  <title>Model · Digits Studio</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="studio.css">
</head>
<body>
  <div class="shell">
    <header class="topbar">
      <nav class="pages" aria-label="Pages"><a href="./">Draw</a><a href="model" aria-current="page">Model</a><a href="train">Train</a></nav>
      <h1>Model</h1>
      <p class="tagline">How the current model learned, which digits it mixes up, and how it reads your handwriting compared with MNIST.</p>
    </header>

    <main class="model-page">
      <section class="card" aria-labelledby="summary-heading">
        <div class="card-head">
          <h2 id="summary-heading">Current model: <span id="insights-version">…</span></h2>
          <button type="button" id="insights-refresh" class="quiet">Refresh</button>
        </div>
        <p id="insights-architecture" class="muted small"></p>
        <p id="insights-loading" class="muted" role="status">Evaluating the model on your samples and on MNIST test…</p>
        <p id="insights-error" class="error-text" hidden></p>
      </section>

      <section class="card" aria-labelledby="compare-heading">
        <h2 id="compare-heading">Your handwriting vs MNIST test</h2>
        <p class="muted small">The same model on two sets: the digits you saved, and the 10,000 MNIST test digits. Rows of a confusion matrix are the true digit, columns what the model read. Click a cell to see its images.</p>
        <div class="compare">
          <div class="set" id="set-samples" data-set="samples"></div>
          <div class="set" id="set-mnist" data-set="mnist"></div>
        </div>
        <div id="examples" class="examples" hidden tabindex="-1" aria-live="polite">
          <div class="card-head">
            <h3 id="examples-title"></h3>
            <button type="button" id="examples-close" class="quiet">Close</button>
          </div>
          <p id="examples-note" class="muted small"></p>
          <ul id="examples-list" class="example-list"></ul>
        </div>
      </section>

      <section class="card" aria-labelledby="curves-heading">
        <h2 id="curves-heading">Training curves</h2>
        <p id="curves-text" class="muted small"></p>
        <div id="curves" class="figures"></div>
        <div class="live-training">
          <div class="card-head">
            <h3>Retraining on your samples</h3>
            <span class="training-status"><span id="live-state" class="state" data-state="idle">idle</span>
              <span id="live-phase" class="muted small"></span></span>
          </div>
          <p class="muted small">Live curves of a retraining run, whether started here or on the Draw page.</p>
          <div class="toolbar">
            <button type="button" id="live-retrain" class="primary" disabled>Retrain on my samples</button>
            <button type="button" id="live-cancel" hidden>Cancel</button>
          </div>
          <p id="live-numbers" class="numbers small"></p>
          <div class="live-charts">
            <figure class="live-chart">
              <figcaption class="small">Loss: cross-entropy (nats), mean of the steps so far, against step</figcaption>
              <canvas id="live-loss" class="loss-chart" role="img" aria-label="Retraining loss per step"></canvas>
            </figure>
            <figure class="live-chart">
              <figcaption class="small">Accuracy (%) on the training batches, mean of the steps so far, against step</figcaption>
              <canvas id="live-accuracy" class="loss-chart" role="img" aria-label="Retraining accuracy per step"></canvas>
            </figure>
          </div>
          <p id="live-result" class="small" hidden></p>
        </div>
      </section>

      <section class="card" aria-labelledby="layer-heading">
        <h2 id="layer-heading">First layer</h2>
        <p id="layer-text" class="muted small"></p>
        <div id="first-layer" class="figures"></div>
      </section>
    </main>
  </div>

\#(statusToastHTML)

  <script src="model.js" defer></script>
</body>
</html>
"""#
