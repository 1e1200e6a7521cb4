// TrainPageHTML.swift — the Train page's HTML skeleton, served at `GET /train`.
//
// The whole loop of `digits train` in the browser: choose a preset or write an architecture, set the
// training knobs, watch the loss, accuracy and epoch table live, then see the test figures; every version
// (base, retrained, trained here) in one table, made current, deleted, downloaded or compared side by side.

let trainPageHTML = #"""
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light">
  <title>Train · Digits Studio</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="studio.css">
</head>
<body>
  <div class="shell">
    <header class="topbar">
      <nav class="pages" aria-label="Pages"><a href="./">Draw</a><a href="model">Model</a><a href="train" aria-current="page">Train</a></nav>
      <h1>Train</h1>
      <p class="tagline">Train a network from scratch on MNIST (and your drawings), watch it learn, and compare it with the others.</p>
    </header>

    <main class="train-page">
      <section class="card" aria-labelledby="recipe-heading">
        <h2 id="recipe-heading">New network</h2>
        <form id="recipe-form" class="recipe" novalidate>
          <label class="field wide">Preset
            <select id="recipe-preset" name="preset"></select>
          </label>
          <label class="field wide">Architecture
            <input id="recipe-architecture" name="architecture" type="text" spellcheck="false" autocomplete="off"
                   placeholder="conv32k3-relu-maxpool2-flatten-dense128-relu-dense10">
          </label>
          <p id="architecture-check" class="check small wide" role="status" aria-live="polite"></p>
          <label class="field">Length
            <select id="recipe-length-unit" name="lengthUnit">
              <option value="epochs">epochs</option>
              <option value="steps">steps</option>
            </select>
          </label>
          <label class="field"><span id="recipe-length-label">Epochs</span>
            <input id="recipe-length" name="length" type="number" min="1" step="1" value="1" inputmode="numeric">
          </label>
          <label class="field">Learning rate
            <input id="recipe-learning-rate" name="learningRate" type="number" min="0" step="any" inputmode="decimal">
          </label>
          <label class="field">Optimizer
            <select id="recipe-optimizer" name="optimizer">
              <option>sgd</option><option>momentum</option><option>nesterov</option><option>adam</option><option>adamw</option>
            </select>
          </label>
          <label class="field">Batch size
            <input id="recipe-batch-size" name="batchSize" type="number" min="1" max="1024" step="1" inputmode="numeric">
          </label>
          <label class="field">Seed
            <input id="recipe-seed" name="seed" type="number" min="0" step="1" inputmode="numeric">
          </label>
          <label class="field">Validation images
            <input id="recipe-validation" name="validation" type="number" min="0" max="10000" step="1" inputmode="numeric">
          </label>
          <label class="field check-field"><input id="recipe-augment-on" type="checkbox"> Augmentation</label>
          <label class="field wide">Distortions
            <input id="recipe-augment" name="augment" type="text" spellcheck="false" autocomplete="off" placeholder="rotate=10,scale=0.1,shift=2">
          </label>
          <label class="field check-field"><input id="recipe-include-samples" type="checkbox"> Include my drawings
            <span id="recipe-sample-count" class="muted small"></span></label>
          <label class="field">Weight of my drawings
            <input id="recipe-samples-weight" name="samplesWeight" type="number" min="0.01" max="0.5" step="0.01" value="0.05" inputmode="decimal">
          </label>
          <p id="recipe-cost" class="numbers small wide"></p>
          <div class="toolbar wide">
            <button type="submit" id="train-start" class="primary">Start training</button>
            <button type="button" id="train-cancel" hidden>Cancel</button>
          </div>
        </form>
      </section>

      <section class="card" aria-labelledby="progress-heading">
        <div class="card-head">
          <h2 id="progress-heading">Training</h2>
          <span class="training-status"><span id="train-state" class="state" data-state="idle">idle</span>
            <span id="train-phase" class="muted small"></span></span>
        </div>
        <p id="train-numbers" class="numbers small"></p>
        <div class="live-charts">
          <figure class="live-chart">
            <figcaption class="small">Loss: cross-entropy, mean over the epoch so far, against step</figcaption>
            <canvas id="train-loss" class="loss-chart" role="img" aria-label="Training loss per step"></canvas>
          </figure>
          <figure class="live-chart">
            <figcaption class="small">Accuracy (%) on the training batches of the epoch so far, against step</figcaption>
            <canvas id="train-accuracy" class="loss-chart" role="img" aria-label="Training accuracy per step"></canvas>
          </figure>
        </div>
        <div class="table-scroll">
          <table id="epoch-table" class="data-table" hidden>
            <thead><tr><th>Epoch</th><th>Loss</th><th>Train</th><th>Validation</th><th>Learning rate</th><th>Seconds</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
        <div id="train-result" class="train-result" hidden></div>
      </section>

      <section class="card" aria-labelledby="versions-heading">
        <div class="card-head">
          <h2 id="versions-heading">Versions</h2>
          <button type="button" id="versions-refresh" class="quiet">Refresh</button>
        </div>
        <p class="muted small">Every model the studio knows: the one it started with, retrainings on your samples and networks trained here. Tick two to compare them.</p>
        <div class="table-scroll">
          <table id="versions-table" class="data-table versions">
            <thead><tr><th scope="col">Compare</th><th scope="col">Version</th><th scope="col">Made by</th><th scope="col">MNIST test</th>
              <th scope="col">Your drawings</th><th scope="col">Date</th><th scope="col">Actions</th></tr></thead>
            <tbody></tbody>
          </table>
        </div>
        <div class="toolbar">
          <button type="button" id="compare-start" disabled>Compare the two ticked</button>
        </div>
      </section>

      <section class="card" id="comparison" aria-labelledby="comparison-heading" hidden>
        <h2 id="comparison-heading">Comparison</h2>
        <p id="comparison-loading" class="muted" role="status"></p>
        <div id="comparison-body"></div>
      </section>
    </main>
  </div>

\#(statusToastHTML)

  <script src="train.js" defer></script>
</body>
</html>
"""#
