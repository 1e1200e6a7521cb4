// feedback.js — the part of studio.js for "Right" / "Wrong", saving samples, and the keyboard shortcuts.

// ---------- Feedback: saving samples ----------

const Feedback = (() => {
  const rightButton = byId("right");
  const wrongButton = byId("wrong");
  const question = byId("feedback-question");
  const picker = byId("label-picker");
  const labelButtons = byId("label-buttons");
  const cancelButton = byId("label-cancel");
  let saving = false;

  function buildLabelButtons() {
    for (let digit = 0; digit <= 9; digit += 1) {
      const button = makeElement("button", "", String(digit));
      button.type = "button";
      button.dataset.label = String(digit);
      button.setAttribute("aria-label", `Save as ${digit}`);
      button.addEventListener("click", () => save(digit));
      labelButtons.append(button);
    }
  }

  /** Right works while a digit is on screen, Wrong also after "not a digit" (a digit the model did not take for
   *  one is corrected like a misread one); neither while a save is under way. */
  function canCorrect() {
    return (Prediction.digit !== null || Prediction.rejected) && !saving;
  }

  function update() {
    question.textContent = Prediction.rejected ? "A digit after all?" : "Is the guess right?";
    rightButton.disabled = Prediction.digit === null || saving;
    wrongButton.disabled = !canCorrect();
    labelButtons.querySelectorAll("button").forEach((button) => { button.disabled = saving; });
    if (Drawing.isEmpty && !saving) closePicker();
  }

  function right() {
    if (Prediction.digit !== null && !saving) save(Prediction.digit);
  }

  function wrong() {
    if (!canCorrect()) return;
    picker.hidden = false;
    wrongButton.setAttribute("aria-expanded", "true");
    labelButtons.querySelector("button").focus({ preventScroll: true });
    picker.scrollIntoView({ block: "nearest", behavior: "smooth" }); // Only as far as needed to show it.
  }

  function closePicker() {
    if (picker.hidden) return;
    const hadFocus = picker.contains(document.activeElement);
    picker.hidden = true;
    wrongButton.setAttribute("aria-expanded", "false");
    if (hadFocus) focusAfterward();
  }

  /** Keeps keyboard users where they were: on Wrong while it works, otherwise on the canvas. */
  function focusAfterward() {
    (wrongButton.disabled ? byId("canvas") : wrongButton).focus();
  }

  /** POST /api/samples with the drawing on screen, the label, and what the page showed. */
  async function save(label) {
    if (saving || Drawing.isEmpty) return;
    const prediction = Prediction.digit;
    const body = { ...Drawing.snapshot(), label };
    if (prediction !== null) body.prediction = prediction;
    const focusWasHere = rightButton === document.activeElement || picker.contains(document.activeElement);
    saving = true;
    update();
    try {
      const saved = await Api.post("api/samples", body);
      Drawing.clear();
      closePicker();
      Status.ok(`Saved as ${saved.label} (#${saved.id})`);
      Samples.reload();
    } catch (error) {
      reportError("Could not save the sample", error); // The picker stays open to try again.
    } finally {
      saving = false;
      update();
      if (focusWasHere && document.activeElement === document.body) focusAfterward();
    }
  }

  rightButton.addEventListener("click", right);
  wrongButton.addEventListener("click", wrong);
  cancelButton.addEventListener("click", closePicker);
  wrongButton.setAttribute("aria-expanded", "false");
  wrongButton.setAttribute("aria-controls", "label-picker");
  buildLabelButtons();

  return {
    update,
    right,
    wrong,
    save,
    closePicker,
    get pickerOpen() { return !picker.hidden; },
  };
})();

// ---------- Keyboard shortcuts ----------

/**
 * C clear, Ctrl/Cmd+Z undo, Enter right, W wrong, then 0–9 pick the label and Escape cancels.
 * Nothing fires while typing in a form field, and Enter on a focused button keeps doing what it does.
 */
const Shortcuts = (() => {
  function onKeyDown(event) {
    if (event.defaultPrevented || event.isComposing || isTypingTarget(event.target)) return;
    // In Number mode the single-digit canvas is hidden: its keys would act on what is not shown.
    if (document.body.dataset.mode === "number") return;
    const key = event.key;
    const command = event.ctrlKey || event.metaKey;

    if (command && !event.shiftKey && !event.altKey && key.toLowerCase() === "z") {
      event.preventDefault();
      Drawing.undo();
      return;
    }
    if (command || event.altKey) return;

    if (Feedback.pickerOpen && /^[0-9]$/.test(key)) {
      event.preventDefault();
      Feedback.save(Number(key));
    } else if (Feedback.pickerOpen && key === "Escape") {
      event.preventDefault();
      Feedback.closePicker();
    } else if (key === "c" || key === "C") {
      Drawing.clear();
    } else if (key === "w" || key === "W") {
      Feedback.wrong();
    } else if (key === "Enter" && !isActivatable(event.target)) {
      Feedback.right();
    }
  }

  /** Enter already means "press this" on buttons, links and form controls. */
  function isActivatable(target) {
    return target instanceof Element && target.closest("button, a, input, select, textarea, summary") !== null;
  }

  document.addEventListener("keydown", onKeyDown);
  return {};
})();
