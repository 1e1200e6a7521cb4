// ---------- Comparing two versions ----------

const Comparison = (() => {
  const section = byId("comparison");
  const loading = byId("comparison-loading");
  const content = byId("comparison-body");

  async function show(a, b) {
    section.hidden = false;
    content.replaceChildren();
    loading.textContent = `Measuring ${a} and ${b} on MNIST test and on your drawings…`;
    document.body.dataset.comparison = "loading";
    section.scrollIntoView({ behavior: "smooth", block: "start" });
    try {
      const answer = await Api.get(`api/model/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, { timeoutMs: 120000 });
      render(answer);
      document.body.dataset.comparison = "ready";
    } catch (error) {
      content.replaceChildren(makeElement("p", "error-text", `Could not compare ${a} and ${b}: ${error.message}`));
      document.body.dataset.comparison = "error";
    } finally {
      loading.textContent = "";
    }
  }

  function render(answer) {
    const { a, b } = answer;
    const rows = [];
    for (const [name, key] of [["MNIST test", "mnist"], ["Your drawings", "samples"]]) {
      if (a[key].count === 0) continue;
      rows.push([`${name}: ${a.version}`, formatPercent(a[key].accuracy, 2), ...a[key].perDigit.map((v) => Number.isFinite(v) ? formatPercent(v, 1) : "—")]);
      rows.push([`${name}: ${b.version}`, formatPercent(b[key].accuracy, 2), ...b[key].perDigit.map((v) => Number.isFinite(v) ? formatPercent(v, 1) : "—")]);
    }
    const perDigit = makeElement("div", "table-scroll");
    perDigit.append(makeTable(["Set", "All", ...Array.from({ length: 10 }, (_, digit) => String(digit))], rows, "data-table per-digit"));

    const matrices = makeElement("div", "matrices");
    matrices.append(
      confusionTable(a.mnist.confusion, { caption: `${a.version} on MNIST test` }),
      confusionTable(b.mnist.confusion, { caption: `${b.version} on MNIST test` }),
      confusionTable(answer.mnistConfusionDifference, { caption: `${b.version} − ${a.version} (green: better)`, difference: true }));
    const parts = [makeElement("h3", "", `${a.version} and ${b.version}, digit by digit`), perDigit,
      makeElement("h3", "", "Confusion matrices"), matrices,
      makeElement("p", "muted small", `They read ${formatCount(answer.mnistDisagreementCount)} of the MNIST test digits differently.`)];
    if (a.samples.count > 0) {
      const sampleMatrices = makeElement("div", "matrices");
      sampleMatrices.append(
        confusionTable(a.samples.confusion, { caption: `${a.version} on your drawings` }),
        confusionTable(b.samples.confusion, { caption: `${b.version} on your drawings` }),
        confusionTable(answer.samplesConfusionDifference, { caption: `${b.version} − ${a.version}`, difference: true }));
      parts.push(sampleMatrices);
    }
    parts.push(makeElement("h3", "", `Your drawings they read differently (${answer.disagreements.length})`));
    if (answer.disagreements.length === 0) {
      parts.push(makeElement("p", "muted small", a.samples.count === 0 ? "No drawings saved yet: save some on the Draw page." : "None: they agree on every drawing you saved."));
    } else {
      const list = makeElement("ul", "example-list disagreements");
      for (const item of answer.disagreements) {
        const entry = makeElement("li", "example");
        const image = makeElement("img");
        image.src = item.image;
        image.alt = `sample ${item.id}, a ${item.label}`;
        entry.append(image, makeElement("span", "example-caption", `a ${item.label}: ${a.version} read ${item.a}, ${b.version} read ${item.b}`));
        list.append(entry);
      }
      parts.push(list);
    }
    content.replaceChildren(...parts);
  }

  return { show };
})();
