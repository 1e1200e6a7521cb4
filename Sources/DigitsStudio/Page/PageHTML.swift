// PageHTML.swift — the studio page's HTML skeleton, served at `GET /`.
//
// The markup only lays out the panels and names every element the script and the browser tests need
// (`id`s); the script fills in the bars, the label picker, the samples and the model versions. The
// page loads nothing from anywhere but this server: `studio.css` and `studio.js` (relative URLs, so the
// page also works behind a proxy that mounts it under a path).

/// The status line both pages share (the `Status` part of the script fills it in).
let statusToastHTML = #"""
  <div class="toast" id="status-toast" data-kind="info">
    <p id="status" role="status" aria-live="polite"></p>
    <button type="button" id="status-dismiss" class="quiet" aria-label="Dismiss message">×</button>
  </div>
"""#

let pageHTML = #"""
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light">
  <title>Digits Studio</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="studio.css">
</head>
<body>
  <div class="shell">
    <header class="topbar">
      <nav class="pages" aria-label="Pages"><a href="./" aria-current="page">Draw</a><a href="model">Model</a><a href="train">Train</a></nav>
      <div>
        <h1>Digits Studio</h1>
        <p class="tagline">Draw a digit and watch the network read it. Tell it when it is wrong, then retrain it on your handwriting.</p>
      </div>
    </header>

    <main>
      <div class="mode-switch" role="group" aria-label="What to write">
        <button type="button" id="mode-digit" aria-pressed="true">One digit</button>
        <button type="button" id="mode-number" aria-pressed="false">A number</button>
      </div>

      <section class="card number-card" id="number-card" aria-labelledby="number-heading" hidden>
        <div class="card-head">
          <h2 id="number-heading">Number</h2>
          <span class="muted small" id="number-model"></span>
        </div>
        <div class="paper number-paper">
          <canvas id="number-canvas" tabindex="0" role="img"
                  aria-label="Writing area. Write a number of up to 20 digits, left to right."></canvas>
          <p id="number-hint" class="canvas-hint" aria-hidden="true">Write a number here</p>
        </div>
        <div class="toolbar">
          <button type="button" id="number-undo" disabled>Undo</button>
          <button type="button" id="number-clear" disabled>Clear</button>
        </div>
        <p class="number-read" aria-live="polite"><span class="muted small">Read as</span>
          <output id="number-text" class="number-text"></output>
          <span id="number-reason" class="muted small"></span></p>
        <p class="muted small">Each digit as the network saw it, with its confidence. Click one that is wrong to correct it: that digit alone is saved as a sample.</p>
        <ol id="number-digits" class="number-digits"></ol>
        <div id="number-picker" class="label-picker" role="group" aria-labelledby="number-picker-title" hidden>
          <p id="number-picker-title">Which digit is it?</p>
          <div class="label-buttons" id="number-picker-buttons"></div>
          <button type="button" id="number-picker-cancel" class="quiet">Cancel</button>
        </div>
      </section>

      <div class="studio" id="digit-mode">
        <section class="card draw-card" aria-labelledby="draw-heading">
          <h2 id="draw-heading" class="visually-hidden">Drawing</h2>
          <div class="paper">
            <canvas id="canvas" tabindex="0" role="img"
                    aria-label="Drawing area. Draw one digit with the mouse, a finger or a pen."></canvas>
            <p id="canvas-hint" class="canvas-hint" aria-hidden="true">Draw a digit here</p>
          </div>
          <div class="toolbar">
            <button type="button" id="undo" disabled>Undo</button>
            <button type="button" id="clear" disabled>Clear</button>
          </div>
          <p class="keys" id="keyboard-help">
            Keys: <kbd>C</kbd> clear · <kbd>Ctrl</kbd>/<kbd>⌘</kbd>+<kbd>Z</kbd> undo ·
            <kbd>Enter</kbd> right · <kbd>W</kbd> wrong, then <kbd>0</kbd>–<kbd>9</kbd> · <kbd>Esc</kbd> cancel
          </p>
        </section>

        <section class="card prediction-card" aria-labelledby="prediction-heading">
          <div class="card-head">
            <h2 id="prediction-heading">Prediction</h2>
            <span class="muted small" id="prediction-model" title="The model that made this prediction"></span>
          </div>
          <div class="guess" aria-live="polite">
            <span id="prediction-digit" class="guess-digit"></span>
            <span id="prediction-confidence" class="guess-confidence"></span>
            <p id="prediction-prompt" class="guess-prompt">
              <span class="prompt-title">Draw a digit</span>
              <span id="prediction-reason" class="prompt-reason"></span>
            </p>
          </div>
          <ol id="bars" class="bars" aria-label="Confidence for each digit"></ol>
          <div class="feedback">
            <p class="feedback-question">Is the guess right?</p>
            <div class="feedback-buttons">
              <button type="button" id="right" class="good" disabled>Right</button>
              <button type="button" id="wrong" class="bad" disabled>Wrong…</button>
            </div>
            <div id="label-picker" class="label-picker" role="group" aria-labelledby="label-picker-title" hidden>
              <p id="label-picker-title">Which digit did you draw?</p>
              <div class="label-buttons" id="label-buttons"></div>
              <button type="button" id="label-cancel" class="quiet">Cancel</button>
            </div>
          </div>
        </section>

        <section class="card network-card" aria-labelledby="network-heading">
          <h2 id="network-heading">What the network sees</h2>
          <div class="network-row">
            <canvas id="network-input" class="pixelated" width="28" height="28" role="img"
                    aria-label="The 28 by 28 pixel input the network sees, enlarged"></canvas>
            <div class="network-notes">
              <p class="muted small">Your drawing is cropped, scaled and centered into 28 × 28 pixels, the way the MNIST digits it learned from were prepared.</p>
              <label class="switch">
                <input type="checkbox" id="stages-toggle">
                <span>Show preprocessing stages</span>
              </label>
            </div>
          </div>
          <div id="stages" class="stages" hidden></div>
        </section>
      </div>

      <section class="card samples-card" aria-labelledby="samples-heading">
        <div class="card-head">
          <h2 id="samples-heading">Your samples</h2>
          <span id="samples-total" class="muted">Loading…</span>
        </div>
        <p class="muted small">Every digit you confirm is saved here, with the label you gave and what the network guessed. Download them for your own experiments:
          <a id="export-csv" href="api/samples/export?format=csv" download>CSV</a> ·
          <a id="export-idx" href="api/samples/export?format=idx" download>IDX (MNIST format)</a>
        </p>
        <p id="samples-empty" class="empty" hidden>No samples yet. Draw a digit, then press Right or Wrong to save it.</p>
        <ul id="samples" class="samples"></ul>
        <button type="button" id="samples-more" class="quiet" hidden>Load more</button>
      </section>

      <div class="lower">
        <section class="card training-card" aria-labelledby="training-heading">
          <h2 id="training-heading">Retrain</h2>
          <p class="muted small">Fine-tune the network on your saved samples. The new model replaces the current one only if its accuracy on the MNIST test set drops by at most 0.3 points.</p>
          <div class="toolbar">
            <button type="button" id="retrain" class="primary" disabled>Retrain on my samples</button>
            <button type="button" id="cancel-training" hidden>Cancel</button>
          </div>
          <div class="training-status">
            <span class="muted small">Job</span>
            <span id="training-state" class="state" data-state="idle">idle</span>
            <span id="training-phase" class="muted small"></span>
          </div>
          <div id="training-live" class="training-live" hidden>
            <progress id="training-progress" max="1" value="0" aria-label="Training progress"></progress>
            <p id="training-numbers" class="numbers small"></p>
            <canvas id="loss-chart" class="loss-chart" role="img" aria-label="Training loss per step"></canvas>
          </div>
          <p id="training-error" class="error-text" hidden></p>
          <div id="training-result" class="training-result" hidden></div>
        </section>

        <section class="card model-card" aria-labelledby="model-heading">
          <div class="card-head">
            <h2 id="model-heading">Model</h2>
            <span class="muted small">active: <strong id="model-version">…</strong></span>
          </div>
          <p id="model-architecture" class="muted small"></p>
          <ul id="model-versions" class="versions"></ul>
          <button type="button" id="reset-model">Reset to base model</button>
        </section>
      </div>
    </main>
  </div>

\#(statusToastHTML)

  <script src="studio.js" defer></script>
</body>
</html>
"""#
