// PageStyle.swift — the studio page's stylesheet, served at `GET /studio.css`.
//
// Dark ink on light paper, system fonts, one accent color. Every text color keeps at least the WCAG AA
// contrast ratio (4.5:1) against its background; the narrow layout (phones, from 360 px) stacks the panels
// with the canvas first, the wide one puts the canvas left and the prediction right.

let pageCSS = #"""
:root {
  --page: #f3f4f6;
  --paper: #ffffff;
  --ink: #16181d;
  --text: #1b1f27;
  --muted: #555d6b;      /* 6.3:1 on white, 5.8:1 on the page color */
  --line: #d8dce3;
  --line-strong: #b9bfca;
  --accent: #2455c3;     /* 6.6:1 on white */
  --accent-soft: #e9effb;
  --good: #1c6a39;
  --bad: #b0261d;
  --bar: #8797bd;
  --radius: 14px;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.05), 0 1px 8px rgba(16, 24, 40, 0.04);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 16px;
  line-height: 1.5;
  color: var(--text);
  background: var(--page);
}

* { box-sizing: border-box; }
body { margin: 0; }
h1, h2, p { margin: 0; }
h1 { font-size: 1.5rem; font-weight: 650; letter-spacing: -0.01em; }
h2 { font-size: 1.05rem; font-weight: 650; }
a { color: var(--accent); text-underline-offset: 2px; }
kbd {
  font: inherit; font-size: 0.8em; padding: 0 0.35em; border: 1px solid var(--line-strong);
  border-bottom-width: 2px; border-radius: 4px; background: var(--paper);
}
[hidden] { display: none !important; }

.muted { color: var(--muted); }
.small { font-size: 0.875rem; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}

/* ---------- Layout ---------- */

.shell { max-width: 1120px; margin: 0 auto; padding: 28px 24px 112px; }
.topbar { margin-bottom: 22px; }
.tagline { color: var(--muted); margin-top: 4px; max-width: 60ch; }

.studio, .lower { display: grid; gap: 20px; grid-template-columns: minmax(0, 1fr); }
.samples-card, .lower { margin-top: 20px; }

/* Wide and tall enough: the canvas stays in view while the panels beside it scroll. */
@media (min-width: 880px) and (min-height: 720px) {
  .draw-card { position: sticky; top: 16px; }
}

@media (min-width: 880px) {
  .studio { grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); align-items: start; }
  .draw-card { grid-row: span 2; }
  .lower { grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); align-items: start; }
}

.card {
  background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius);
  padding: 20px; box-shadow: var(--shadow);
}
.card > h2, .card-head { margin-bottom: 12px; }
.card-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.card > p + * { margin-top: 12px; }

/* ---------- Controls ---------- */

button {
  font: inherit; font-weight: 550; color: var(--text); background: var(--paper);
  border: 1px solid var(--line-strong); border-radius: 10px; padding: 0.5em 1.1em;
  min-height: 44px; cursor: pointer;
}
button:hover:not(:disabled) { background: #eef0f3; }
button:disabled { cursor: not-allowed; color: #6b7280; background: #f1f2f4; border-color: var(--line); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover:not(:disabled) { background: #1c469f; }
button.good { background: var(--good); border-color: var(--good); color: #fff; }
button.good:hover:not(:disabled) { background: #15532c; }
button.bad { color: var(--bad); border-color: #d9a19c; }
button.bad:hover:not(:disabled) { background: #fbefee; }
button.quiet { border-color: transparent; background: transparent; color: var(--accent); }
button.quiet:hover:not(:disabled) { background: var(--accent-soft); }
button.primary:disabled, button.good:disabled, button.bad:disabled {
  color: #6b7280; background: #f1f2f4; border-color: var(--line);
}

:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.toolbar { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 14px; }

/* ---------- Drawing ---------- */

.paper {
  position: relative; border: 1px solid var(--line-strong); border-radius: 12px; overflow: hidden;
  background: var(--paper);
}
#canvas {
  display: block; width: 100%; aspect-ratio: 1 / 1; touch-action: none; cursor: crosshair;
  user-select: none; -webkit-user-select: none; -webkit-touch-callout: none;
}
#canvas:focus-visible { outline-offset: -4px; }
.canvas-hint {
  position: absolute; inset: 0; display: grid; place-items: center; pointer-events: none;
  color: #6b7280; font-size: 1.1rem;
}
.keys { color: var(--muted); font-size: 0.8125rem; margin-top: 12px; line-height: 1.9; }

/* ---------- Prediction ---------- */

.prediction-card.stale .guess, .prediction-card.stale .bars { opacity: 0.55; }
.guess { display: flex; align-items: center; gap: 16px; min-height: 112px; }
.guess-digit { font-size: 5.5rem; font-weight: 700; line-height: 1; font-variant-numeric: tabular-nums; }
.guess-digit:empty, .guess-confidence:empty { display: none; }
.guess-confidence { color: var(--muted); }
.guess-prompt { display: flex; flex-direction: column; gap: 2px; }
.prompt-title { font-size: 1.5rem; font-weight: 600; color: var(--muted); }
.prompt-reason { font-size: 0.875rem; color: var(--muted); }

.bars { list-style: none; margin: 8px 0 0; padding: 0; display: grid; gap: 4px; }
.bar { display: grid; grid-template-columns: 1.4em minmax(0, 1fr) 4.2em; align-items: center; gap: 10px; }
.bar-digit { font-weight: 600; text-align: center; font-variant-numeric: tabular-nums; }
.bar-track { height: 12px; background: #eceef2; border-radius: 6px; overflow: hidden; }
.bar-fill {
  display: block; height: 100%; background: var(--bar); border-radius: 6px;
  transform-origin: left center; transform: scaleX(0); transition: transform 120ms ease-out;
}
.bar-value { font-size: 0.8125rem; color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
.bar.top .bar-fill { background: var(--accent); }
.bar.top .bar-digit, .bar.top .bar-value { color: var(--accent); font-weight: 700; }

.feedback { margin-top: 18px; padding-top: 16px; border-top: 1px solid var(--line); }
.feedback-question { font-weight: 600; margin-bottom: 10px; }
.feedback-buttons { display: flex; gap: 10px; }
.feedback-buttons button { flex: 1; }
.label-picker { margin-top: 14px; padding: 14px; border-radius: 12px; background: var(--accent-soft); }
.label-picker p { font-weight: 600; margin-bottom: 10px; }
.label-buttons { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 8px; margin-bottom: 8px; }
.label-buttons button { padding: 0.4em 0; font-size: 1.15rem; font-variant-numeric: tabular-nums; }

/* ---------- What the network sees ---------- */

.pixelated { image-rendering: pixelated; image-rendering: crisp-edges; }
.network-row { display: flex; gap: 18px; align-items: flex-start; flex-wrap: wrap; }
#network-input { width: 168px; height: 168px; border-radius: 8px; background: #0f172a; flex: none; }
.network-notes { flex: 1 1 180px; display: grid; gap: 14px; }
.switch { display: flex; gap: 10px; align-items: center; cursor: pointer; min-height: 44px; }
.switch input { width: 20px; height: 20px; margin: 0; accent-color: var(--accent); }
.stages { display: grid; grid-template-columns: repeat(auto-fill, minmax(92px, 1fr)); gap: 12px; margin-top: 16px; }
.stage { margin: 0; }
.stage canvas { display: block; width: 100%; aspect-ratio: 1 / 1; object-fit: contain; border-radius: 6px; background: #0f172a; }
.stage figcaption { font-size: 0.8125rem; margin-top: 4px; }
.stage figcaption span { display: block; color: var(--muted); }

/* ---------- Samples ---------- */

.samples {
  list-style: none; margin: 16px 0 0; padding: 0; display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(92px, 1fr));
}
.sample {
  border: 1px solid var(--line); border-radius: 10px; padding: 8px; display: grid; gap: 6px;
  justify-items: center; text-align: center;
}
.sample.mismatch { border-color: #e3b4b0; background: #fdf6f5; }
.sample canvas { width: 56px; height: 56px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.sample-label { font-weight: 700; font-size: 1.05rem; }
.sample-guess { font-size: 0.75rem; color: var(--muted); }
.sample.mismatch .sample-guess { color: var(--bad); }
.sample button { min-height: 32px; padding: 0.15em 0.7em; font-size: 0.8125rem; font-weight: 500; }
.empty { color: var(--muted); margin-top: 16px; padding: 18px; border: 1px dashed var(--line-strong); border-radius: 10px; text-align: center; }
#samples-more { margin-top: 12px; }

/* ---------- Retraining ---------- */

.training-status { display: flex; align-items: center; gap: 8px; margin-top: 16px; flex-wrap: wrap; }
.state {
  font-size: 0.8125rem; font-weight: 650; padding: 1px 10px; border-radius: 999px;
  background: #eceef2; color: #3b4250;
}
.state[data-state="running"] { background: var(--accent-soft); color: var(--accent); }
.state[data-state="finished"] { background: #e6f3eb; color: var(--good); }
.state[data-state="failed"] { background: #fbecea; color: var(--bad); }
.training-live { margin-top: 12px; }
progress { width: 100%; height: 10px; accent-color: var(--accent); }
.numbers { margin-top: 6px; color: var(--muted); font-variant-numeric: tabular-nums; }
.loss-chart { display: block; width: 100%; height: 150px; margin-top: 10px; }
.error-text { color: var(--bad); margin-top: 12px; }
.training-result { margin-top: 16px; padding: 14px; border-radius: 12px; border: 1px solid var(--line); }
.training-result[data-accepted="true"] { background: #f1f8f3; border-color: #b9dcc5; }
.training-result[data-accepted="false"] { background: #fdf8ee; border-color: #e8d3a6; }
.verdict { font-weight: 650; }
.reason { color: var(--muted); font-size: 0.875rem; margin-top: 2px; }
.compare { margin: 12px 0 0; display: grid; gap: 6px; }
.compare div { display: flex; justify-content: space-between; gap: 12px; flex-wrap: wrap; font-size: 0.9rem; }
.compare dt { color: var(--muted); }
.compare dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }

/* ---------- Model ---------- */

.versions { list-style: none; margin: 12px 0 16px; padding: 0; display: grid; gap: 8px; }
.version { border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
.version.current { border-color: var(--accent); box-shadow: inset 3px 0 0 var(--accent); }
.version-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.version-id { font-weight: 700; }
.version-status { font-size: 0.75rem; font-weight: 650; padding: 0 8px; border-radius: 999px; background: #eceef2; color: #3b4250; }
.version-status[data-status="active"] { background: var(--accent-soft); color: var(--accent); }
.version-status[data-status="kept-aside"] { background: #fbf1dc; color: #7a4f00; }
.version-numbers, .version-note { font-size: 0.8125rem; color: var(--muted); margin-top: 2px; }

/* ---------- Status line ---------- */

.toast {
  position: fixed; left: 50%; bottom: 16px; transform: translate(-50%, 12px); z-index: 10;
  width: min(640px, calc(100% - 20px)); display: flex; align-items: center; gap: 8px;
  padding: 10px 8px 10px 16px; border-radius: 12px; background: #1f2430; color: #fff;
  box-shadow: 0 8px 24px rgba(16, 24, 40, 0.2); opacity: 0; transition: opacity 160ms, transform 160ms;
  pointer-events: none; /* Clicks pass through to the page below; only the dismiss button takes them. */
}
.toast.visible { opacity: 1; transform: translate(-50%, 0); }
.toast.visible button { pointer-events: auto; }
.toast[data-kind="error"], .toast[data-kind="offline"] { background: #8f1f18; }
.toast[data-kind="ok"] { background: #17532e; }
.toast p { flex: 1; }
.toast button { color: #fff; min-height: 36px; padding: 0 12px; font-size: 1.25rem; line-height: 1; }
.toast button:hover:not(:disabled) { background: rgba(255, 255, 255, 0.15); }
.toast :focus-visible { outline-color: #fff; }

/* ---------- Small screens (last, so these rules win over the ones above) ---------- */

@media (max-width: 540px) {
  .shell { padding: 14px 10px 112px; }
  .topbar { margin-bottom: 14px; }
  .tagline { font-size: 0.875rem; }
  .card { padding: 14px; }
  .draw-card { padding: 8px 8px 12px; }
  h1 { font-size: 1.3rem; }
  /* On a phone the guess sits right under the canvas: the digit and Right/Wrong first, the bars after. */
  .prediction-card { display: flex; flex-direction: column; }
  .prediction-card .bars { order: 1; margin-top: 16px; }
  .guess { min-height: 84px; }
  .guess-digit { font-size: 4.25rem; }
  .feedback { margin-top: 4px; padding-top: 0; border-top: 0; }
  .feedback-question { display: none; }
}

/* Keyboard shortcuts mean nothing on a touch screen without a keyboard. */
@media (hover: none) and (pointer: coarse) {
  .keys { display: none; }
}

@media (prefers-reduced-motion: reduce) {
  .bar-fill, .toast { transition: none; }
}

/* ---------- Number mode ---------- */

.mode-switch { display: flex; gap: 6px; margin: 0 0 14px; }
.mode-switch button[aria-pressed="true"] { background: var(--accent); border-color: var(--accent); color: #fff; }
.number-card { margin-bottom: 20px; min-width: 0; }
#number-canvas {
  display: block; width: 100%; aspect-ratio: 3 / 1; touch-action: none; cursor: crosshair;
  user-select: none; -webkit-user-select: none; -webkit-touch-callout: none;
}
.number-read { margin: 12px 0 4px; display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.number-text { font-size: 2.2rem; font-weight: 700; letter-spacing: 0.08em; font-variant-numeric: tabular-nums; min-height: 1.2em; }
.number-digits { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 8px; }
.number-digit {
  display: flex; flex-direction: column; align-items: center; gap: 2px; padding: 6px; border: 1px solid var(--line);
  border-radius: 8px; background: var(--paper); cursor: pointer; font: inherit; color: var(--text);
}
.number-digit[data-digit=""] { border-color: #c0392b; }
.number-digit canvas { width: 56px; height: 56px; image-rendering: pixelated; }
.number-digit .value { font-size: 1.2rem; font-weight: 700; }
.number-digit .confidence { font-size: 0.75rem; color: var(--muted); font-variant-numeric: tabular-nums; }
"""#
