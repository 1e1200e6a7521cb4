// insights.js — the Model page's own parts of `GET /model.js` (after the shared core and the
// step charts): the figures of the current model, the images behind a confusion cell, and live curves
// while a retraining runs.

// ---------- Insights: the current model's figures ----------

/** The two sets compared on the page, by their id in the API. */
const setNames = { samples: "Your handwriting", mnist: "MNIST test" };

const Insights = (() => {
  const versionText = byId("insights-version");
  const architectureText = byId("insights-architecture");
  const loadingText = byId("insights-loading");
  const errorText = byId("insights-error");
  let shown = null;            // The last answer placed on the page.
  let loading = null;

  /** GET /api/model/insights; calls that come while one is under way share it. */
  function reload() {
    if (loading === null) {
      loadingText.hidden = false;
      document.body.dataset.insights = "loading";
      loading = Api.get("api/model/insights", { timeoutMs: 120000 })
        .then((answer) => {
          render(answer);
          errorText.hidden = true;
          document.body.dataset.insights = "ready";
        })
        .catch((error) => {
          errorText.hidden = false;
          errorText.textContent = `Could not load the model's figures: ${error.message}`;
          document.body.dataset.insights = "error";
        })
        .finally(() => {
          loadingText.hidden = true;
          loading = null;
        });
    }
    return loading;
  }

  /** Reloads when the model answering now is not the one shown (retrained or reset in another tab). */
  async function reloadIfChanged() {
    try {
      const model = await Api.get("api/model");
      if (!shown || model.version !== shown.version) await reload();
    } catch {
      // The connection watcher reports an unreachable server.
    }
  }

  function render(answer) {
    shown = answer;
    versionText.textContent = answer.version;
    const parameters = Number.isFinite(answer.parameters) ? ` · ${answer.parameters.toLocaleString("en-US")} parameters` : "";
    const origin = answer.retrainedFrom ? ` · retrained from ${answer.retrainedFrom}` : "";
    architectureText.textContent = `${answer.architecture || ""}${parameters}${origin}`;
    for (const set of answer.sets || []) renderSet(set);
    const sections = answer.sections || [];
    placeSection(sections.find((s) => s.id === "curves"), byId("curves"), byId("curves-text"));
    placeSection(sections.find((s) => s.id === "first-layer"), byId("first-layer"), byId("layer-text"));
    Examples.refresh();
    LiveTraining.setSampleCount(answer.sets.find((s) => s.id === "samples")?.count || 0);
  }

  /** One column of the comparison: headline accuracy, then per-digit bars, confusion matrix, mistakes. */
  function renderSet(set) {
    const column = byId(`set-${set.id}`);
    if (!column) return;
    column.dataset.available = String(Boolean(set.available));
    const head = makeElement("h3", "", setNames[set.id] || set.name);
    if (!set.available) {
      column.replaceChildren(head, makeElement("p", "empty", set.message));
      return;
    }
    const headline = makeElement("p", "headline");
    headline.append(makeElement("strong", "set-accuracy", formatPercent(set.accuracy, set.id === "mnist" ? 2 : 1)),
      ` of ${set.count.toLocaleString("en-US")} ${set.count === 1 ? "image" : "images"} read right`);
    column.replaceChildren(head, headline);
    for (const section of set.sections) {
      const block = makeElement("div", "set-section");
      block.dataset.section = section.id;
      block.append(makeElement("h4", "", section.heading), makeElement("p", "muted small", section.text));
      for (const figure of section.figures) block.append(makeFigure(figure));
      column.append(block);
    }
    for (const cell of column.querySelectorAll("g.cell")) {
      cell.addEventListener("click", () => Examples.show(set.id, cell));
      cell.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          Examples.show(set.id, cell);
        }
      });
    }
  }

  function placeSection(section, container, textElement) {
    textElement.textContent = section ? section.text.replaceAll("`", "") : "";
    container.replaceChildren(...(section ? section.figures.map(makeFigure) : []));
  }

  /** A server-drawn SVG figure (our own markup, from DigitsReport) in a <figure>. */
  function makeFigure(figure) {
    const element = makeElement("figure", "figure");
    element.dataset.figure = figure.name;
    element.innerHTML = figure.svg;
    return element;
  }

  byId("insights-refresh").addEventListener("click", reload);
  Connection.onReconnect(reloadIfChanged);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") reloadIfChanged();
  });

  return { reload, reloadIfChanged, get shown() { return shown; } };
})();


// ---------- Examples: the images behind a confusion cell ----------

const Examples = (() => {
  const panel = byId("examples");
  const title = byId("examples-title");
  const note = byId("examples-note");
  const list = byId("examples-list");
  let current = null;          // { set, truth, predicted } shown now.
  let request = 0;             // Answers to older clicks are dropped.

  async function show(set, cell) {
    current = { set, truth: Number(cell.dataset.truth), predicted: Number(cell.dataset.predicted) };
    markSelected();
    await load();
    panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** The model changed: show the same cell again with the new model's answers. */
  function refresh() {
    if (current) load();
    markSelected();
  }

  async function load() {
    const { set, truth, predicted } = current;
    const mine = ++request;
    panel.hidden = false;
    title.textContent = `${setNames[set]}: true ${truth}, read as ${predicted}`;
    note.textContent = "Loading…";
    try {
      const answer = await Api.get(`api/model/examples?set=${set}&truth=${truth}&predicted=${predicted}&limit=60`);
      if (mine !== request) return;
      render(answer);
    } catch (error) {
      if (mine !== request) return;
      note.textContent = `Could not load the images: ${error.message}`;
      list.replaceChildren();
    }
  }

  function render(answer) {
    const kind = answer.truth === answer.predicted ? "read right" : "misread";
    const count = `${answer.total} ${answer.total === 1 ? "image" : "images"} ${kind}`;
    note.textContent = answer.total === 0
      ? "No images in this cell."
      : answer.examples.length < answer.total
        ? `${count}; the ${answer.examples.length} the model was surest about are shown.`
        : `${count}, most confident first. Caption: ${answer.set === "samples" ? "sample number" : "test image number"} and the probability the model gave ${answer.predicted}.`;
    list.dataset.set = answer.set;
    list.dataset.total = String(answer.total);
    list.replaceChildren(...answer.examples.map((example) => {
      const item = makeElement("li", "example");
      item.dataset.id = String(example.id);
      const image = makeElement("img", "pixelated");
      image.src = example.image;
      image.width = 56;
      image.height = 56;
      image.alt = `${answer.set === "samples" ? "sample" : "test image"} ${example.id}: true ${answer.truth}, read as ${answer.predicted}`;
      const name = answer.set === "samples" ? `#${example.id}` : `${example.id}`;
      item.append(image, makeElement("span", "example-caption", `${name} · ${formatPercent(example.confidence, 0)}`));
      return item;
    }));
  }

  function markSelected() {
    for (const cell of document.querySelectorAll("g.cell.selected")) cell.classList.remove("selected");
    if (!current) return;
    const selector = `#set-${current.set} g.cell[data-truth="${current.truth}"][data-predicted="${current.predicted}"]`;
    document.querySelector(selector)?.classList.add("selected");
  }

  function close() {
    current = null;
    request++;
    panel.hidden = true;
    markSelected();
  }

  byId("examples-close").addEventListener("click", close);
  return { show, refresh };
})();
