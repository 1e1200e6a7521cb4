// table.js — the Train page's form and live training view (parts of `GET /train.js`, after the
// shared core and the step charts). The versions table and the comparison are in TrainPageVersions.swift.

// ---------- Tables of figures ----------

/** A table element with a header row and body rows of text (or nodes). */
function makeTable(headers, rows, className = "data-table") {
  const table = makeElement("table", className);
  const head = makeElement("tr");
  for (const header of headers) head.append(makeElement("th", "", header));
  table.append(makeElement("thead"));
  table.tHead.append(head);
  const body = makeElement("tbody");
  for (const row of rows) {
    const line = makeElement("tr");
    for (const cell of row) {
      const td = makeElement("td");
      if (cell instanceof Node) td.append(cell); else td.textContent = cell;
      line.append(td);
    }
    body.append(line);
  }
  table.append(body);
  return table;
}

/**
 * A 10×10 confusion matrix as a table: rows the true digit, columns the digit read. Counts are shaded by
 * their share of the row (green on the diagonal, red off it); a difference matrix shades gains and losses.
 */
function confusionTable(matrix, { caption = "", difference = false } = {}) {
  const table = makeElement("table", "confusion");
  if (caption) table.append(makeElement("caption", "small", caption));
  const head = makeElement("tr");
  head.append(makeElement("th", "corner", "true \\ read"));
  for (let digit = 0; digit < 10; digit += 1) head.append(makeElement("th", "", String(digit)));
  table.append(makeElement("thead"));
  table.tHead.append(head);
  const body = makeElement("tbody");
  matrix.forEach((row, truth) => {
    const line = makeElement("tr");
    line.append(makeElement("th", "", String(truth)));
    const total = row.reduce((sum, count) => sum + Math.abs(count), 0) || 1;
    row.forEach((count, read) => {
      const cell = makeElement("td", "", difference && count > 0 ? `+${count}` : String(count));
      if (count !== 0) {
        const strength = Math.min(1, Math.abs(count) / total + 0.15);
        const good = difference ? (truth === read) === (count > 0) : truth === read;
        cell.style.background = good ? `rgba(46, 139, 87, ${strength})` : `rgba(200, 60, 50, ${strength})`;
        if (strength > 0.55) cell.style.color = "#fff";
      } else {
        cell.className = "zero";
      }
      line.append(cell);
    });
    body.append(line);
  });
  table.append(body);
  return table;
}

/** "109,386". */
function formatCount(value) {
  return Number.isFinite(value) ? value.toLocaleString("en-US") : "—";
}

/** "2.3 M" multiply-adds. */
function formatOperations(value) {
  if (!Number.isFinite(value)) return "—";
  if (value >= 1e9) return `${(value / 1e9).toFixed(2)} G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return String(value);
}

/** "1 min 05 s", "12 s". */
function formatSeconds(seconds) {
  if (!Number.isFinite(seconds)) return "—";
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
}
