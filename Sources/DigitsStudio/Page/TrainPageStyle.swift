// TrainPageStyle.swift — the styles the Train page adds to `studio.css`: the recipe form as a grid (one
// column on phones), tables that scroll sideways on narrow screens, and confusion matrices side by side.

let trainPageCSS = #"""
/* ---------- Train page ---------- */

.train-page { display: grid; gap: 20px; grid-template-columns: minmax(0, 1fr); }
.train-page .card { min-width: 0; }
.train-page h3 { font-size: 1rem; font-weight: 650; margin: 16px 0 6px; }
.recipe { display: grid; gap: 10px 14px; grid-template-columns: minmax(0, 1fr); margin-top: 10px; }
@media (min-width: 700px) { .recipe { grid-template-columns: repeat(3, minmax(0, 1fr)); } .recipe .wide { grid-column: 1 / -1; } }
.field { display: flex; flex-direction: column; gap: 4px; font-size: 0.9rem; font-weight: 550; min-width: 0; }
.field input[type="text"], .field input[type="number"], .field select {
  font: inherit; font-weight: 400; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--paper); min-width: 0;
}
.field input[aria-invalid="true"] { border-color: #c0392b; }
.check-field { flex-direction: row; align-items: center; gap: 8px; }
.check { margin: 0; min-height: 1.2em; }
.check[data-valid="false"] { color: #b03a2e; }
.check[data-valid="true"] { color: #2e7d4f; }
.table-scroll { overflow-x: auto; max-width: 100%; }
.data-table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin-top: 10px; }
.data-table th, .data-table td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
.data-table th:first-child, .data-table td:first-child { text-align: left; }
.versions td:nth-child(3) { white-space: normal; text-align: left; min-width: 14em; }
.versions tr.current { background: #eef4ff; }
.badge { margin-left: 6px; padding: 1px 6px; border-radius: 999px; background: var(--accent); color: #fff; font-size: 0.7rem; }
.row-actions { display: flex; gap: 6px; justify-content: flex-end; flex-wrap: wrap; }
.small-button { font: inherit; font-size: 0.8rem; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--paper); color: var(--text); text-decoration: none; cursor: pointer; }
.small-button.danger { color: #b03a2e; }
.train-result { margin-top: 16px; padding-top: 12px; border-top: 1px solid var(--line); }
.train-result .verdict { font-weight: 650; }
.confusion { border-collapse: collapse; font-size: 0.75rem; font-variant-numeric: tabular-nums; margin-top: 10px; }
.confusion caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
.confusion th, .confusion td { width: 2.4em; height: 1.9em; text-align: center; border: 1px solid var(--line); padding: 0; }
.confusion th.corner { width: auto; padding: 0 4px; font-weight: 500; color: var(--muted); }
.confusion td.zero { color: #b8bec8; }
.matrices { display: grid; gap: 16px; grid-template-columns: minmax(0, 1fr); overflow-x: auto; }
@media (min-width: 1100px) { .matrices { grid-template-columns: repeat(3, max-content); } }
"""#
