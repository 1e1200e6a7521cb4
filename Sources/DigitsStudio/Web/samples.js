// samples.js — the part of studio.js that lists the saved samples, pages through them and deletes them.

// ---------- Samples ----------

const Samples = (() => {
  const pageSize = 48;
  const largestPage = 1000;   // The server's limit for `limit`.
  const list = byId("samples");
  const totalText = byId("samples-total");
  const emptyNote = byId("samples-empty");
  const moreButton = byId("samples-more");
  let total = null;           // null until the first answer.
  let loadNumber = 0;         // Only the answer to the latest load is shown.

  /** Loads the newest samples again, as many as are on screen now (at least one page). */
  function reload() {
    const shown = list.children.length;
    return load(0, Math.min(Math.max(pageSize, shown), largestPage));
  }

  function loadMore() {
    return load(list.children.length, pageSize);
  }

  async function load(offset, limit) {
    const thisLoad = ++loadNumber;
    moreButton.disabled = true;
    try {
      const page = await Api.get(`api/samples?limit=${limit}&offset=${offset}`);
      if (thisLoad !== loadNumber) return;
      const items = page.samples.map(makeItem);
      if (offset === 0) list.replaceChildren(...items);
      else list.append(...items);
      setTotal(page.total);
    } catch (error) {
      if (thisLoad === loadNumber) reportError("Could not load the samples", error);
    } finally {
      if (thisLoad === loadNumber) moreButton.disabled = false;
    }
  }

  function setTotal(count) {
    total = count;
    totalText.textContent = count === 1 ? "1 sample" : `${count} samples`;
    emptyNote.hidden = count > 0;
    moreButton.hidden = list.children.length >= count;
    Training.updateButtons();
  }

  /** One sample: its 28×28 image, the label, what the network guessed, and a delete button. */
  function makeItem(sample) {
    const guessed = typeof sample.prediction === "number";
    const mismatch = guessed && sample.prediction !== sample.label;
    const item = makeElement("li", mismatch ? "sample mismatch" : "sample");
    item.dataset.id = String(sample.id);
    item.dataset.label = String(sample.label);
    item.dataset.prediction = guessed ? String(sample.prediction) : "";
    if (sample.createdAt) item.title = `#${sample.id}, saved ${formatDate(sample.createdAt)}`;

    const thumbnail = makeElement("canvas", "pixelated");
    thumbnail.setAttribute("role", "img");
    thumbnail.setAttribute("aria-label", `Sample #${sample.id}, a ${sample.label}`);
    paintThumbnail(thumbnail, sample.image);

    // The mark and the words say it too, so a mismatch does not rely on color alone.
    const guess = !guessed ? "" : mismatch ? `✗ guessed ${sample.prediction}` : "✓ guessed";
    const remove = makeElement("button", "quiet", "Delete");
    remove.type = "button";
    remove.setAttribute("aria-label", `Delete sample #${sample.id} (a ${sample.label})`);
    remove.addEventListener("click", () => removeSample(sample.id, item));

    item.append(thumbnail, makeElement("span", "sample-label", String(sample.label)),
      makeElement("span", "sample-guess", guess), remove);
    return item;
  }

  /** The network input is ink bright; the thumbnail shows it as dark ink on paper, like the canvas. */
  function paintThumbnail(canvas, image) {
    canvas.width = 28;
    canvas.height = 28;
    if (!Array.isArray(image)) return;
    const context = canvas.getContext("2d");
    const picture = context.createImageData(28, 28);
    const paper = 255;
    const ink = 22;
    image.forEach((value, i) => {
      const shade = Math.round(paper + (ink - paper) * (value / 255));
      picture.data.set([shade, shade, shade, 255], i * 4);
    });
    context.putImageData(picture, 0, 0);
  }

  async function removeSample(id, item) {
    const button = item.querySelector("button");
    button.disabled = true;
    try {
      await Api.delete(`api/samples/${encodeURIComponent(id)}`);
      moveFocusFrom(item);
      item.remove();
      setTotal(Math.max(0, total - 1));
      Status.ok(`Deleted sample #${id}`);
    } catch (error) {
      button.disabled = false;
      reportError(`Could not delete sample #${id}`, error);
      if (error.status === 404) reload(); // Already gone: show the list as it is now.
    }
  }

  /** The delete button disappears with its sample; keyboard users continue from the next one. */
  function moveFocusFrom(item) {
    if (!item.contains(document.activeElement)) return;
    const neighbor = item.nextElementSibling || item.previousElementSibling;
    const target = neighbor ? neighbor.querySelector("button") : byId("retrain");
    if (target && !target.disabled) target.focus();
  }

  moreButton.addEventListener("click", loadMore);
  Connection.onReconnect(reload);

  return {
    reload,
    /** The number of saved samples, or 0 before the first answer. */
    get total() { return total ?? 0; },
  };
})();
