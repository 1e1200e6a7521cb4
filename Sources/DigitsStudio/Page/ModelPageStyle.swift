// ModelPageStyle.swift — the styles the Model page adds to `studio.css`: the page links, the two-column
// comparison (one column on phones), server-drawn SVG figures that shrink to the screen, clickable
// confusion cells and the image list of a cell.

let modelPageCSS = #"""
/* ---------- Page links ---------- */

.pages { display: flex; gap: 6px; margin-bottom: 10px; }
.pages a {
  padding: 4px 12px; border-radius: 999px; border: 1px solid var(--line); text-decoration: none;
  color: var(--text); background: var(--paper); font-weight: 550; font-size: 0.9rem;
}
.pages a[aria-current="page"] { background: var(--accent); border-color: var(--accent); color: #fff; }

/* ---------- Model page ---------- */

.model-page { display: grid; gap: 20px; }
.model-page h3 { font-size: 1rem; font-weight: 650; margin: 0; }
.model-page h4 { font-size: 0.95rem; font-weight: 600; margin: 16px 0 4px; }
.compare { display: grid; gap: 24px; grid-template-columns: minmax(0, 1fr); margin-top: 12px; }
@media (min-width: 880px) { .compare { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.set { min-width: 0; }
.headline { margin-top: 4px; }
.set-accuracy { font-size: 1.6rem; font-variant-numeric: tabular-nums; margin-right: 4px; }

.figures { display: grid; gap: 12px; grid-template-columns: minmax(0, 1fr); margin-top: 8px; }
@media (min-width: 880px) { .figures { grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); } }
.figure { margin: 8px 0 0; min-width: 0; }
.figure svg { display: block; width: 100%; max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 8px; }

g.cell { cursor: pointer; outline: none; }
g.cell:hover rect, g.cell:focus-visible rect { stroke: var(--ink); stroke-width: 2; }
g.cell.selected rect { stroke: var(--accent); stroke-width: 4; }

.examples { margin-top: 20px; padding-top: 16px; border-top: 1px solid var(--line); }
.example-list {
  list-style: none; padding: 0; margin: 10px 0 0; display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(84px, 1fr));
}
.example { display: flex; flex-direction: column; align-items: center; gap: 2px; }
.example img { width: 56px; height: 56px; border: 1px solid var(--line); border-radius: 4px; image-rendering: pixelated; }
.example-caption { font-size: 0.75rem; color: var(--muted); font-variant-numeric: tabular-nums; }

.live-training { margin-top: 20px; padding-top: 16px; border-top: 1px solid var(--line); }
.live-training .toolbar { margin-top: 8px; }
.live-chart { margin: 10px 0 0; min-width: 0; }
.live-chart figcaption { color: var(--muted); }
.live-charts { display: grid; gap: 12px; grid-template-columns: minmax(0, 1fr); }
@media (min-width: 700px) { .live-charts { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
"""#
