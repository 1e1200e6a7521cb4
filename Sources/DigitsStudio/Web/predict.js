// predict.js — the part of studio.js that asks the server for live predictions while you draw.
//
// At most one request is in flight and requests start at least 50 ms apart (so at most ~20 a second);
// when an answer comes back and the drawing changed meanwhile, the latest drawing goes next. Every
// request carries a sequence number and the "epoch" of the drawing (bumped whenever the drawing becomes
// empty), so an answer older than the one on screen, or one for a drawing since cleared, is dropped.

// ---------- Live prediction ----------

const Prediction = (() => {
  const minimumGapMs = 50;
  const requestTimeoutMs = 10000;
  const slowServerRetryMs = 1000;

  let sentSequence = 0;        // Number of the latest request sent.
  let shownSequence = 0;       // Number of the request whose answer is on screen.
  let epoch = 0;               // Bumped each time the drawing becomes empty.
  let inFlight = false;
  let wanted = false;          // The drawing changed since the last request was sent.
  let lastSentAt = -Infinity;
  let waitTimer = null;
  let appliedCount = 0;
  let current = null;          // The answer on screen (with a digit or without), or null.
  const listeners = [];

  /** Called on every change to the drawing. */
  function drawingChanged() {
    if (Drawing.isEmpty) {
      epoch += 1;
      wanted = false;
      showEmpty();
      return;
    }
    wanted = true;
    pump();
  }

  /** Asks again for the same drawing, e.g. when the stages toggle or the model changed. */
  function refresh() {
    if (Drawing.isEmpty) return;
    wanted = true;
    pump();
  }

  /**
   * Sends the latest drawing if nothing is in flight and the last request is at least 50 ms old.
   * While the server is unreachable nothing is sent; Connection polls gently and calls back.
   */
  function pump() {
    if (inFlight || !wanted || waitTimer !== null || !Connection.online) return;
    const waitMs = lastSentAt + minimumGapMs - performance.now();
    if (waitMs > 0) {
      waitTimer = setTimeout(() => {
        waitTimer = null;
        pump();
      }, waitMs);
      return;
    }
    send();
  }

  async function send() {
    wanted = false;
    inFlight = true;
    lastSentAt = performance.now();
    const request = { sequence: ++sentSequence, epoch };
    const query = NetworkView.stagesWanted ? "?input=1&stages=1" : "?input=1";
    try {
      const answer = await Api.post(`api/predict${query}`, Drawing.snapshot(), { timeoutMs: requestTimeoutMs });
      Status.clearTag("prediction");  // An earlier refusal no longer applies.
      if (isCurrent(request)) apply(answer, request.sequence);
    } catch (error) {
      handleFailure(error, request);
    } finally {
      inFlight = false;
      pump();
    }
  }

  function isCurrent(request) {
    return request.epoch === epoch && request.sequence > shownSequence && !Drawing.isEmpty;
  }

  function handleFailure(error, request) {
    if (!(error instanceof ApiError)) return reportError("Prediction failed", error);
    if (request.epoch !== epoch) return;            // About a drawing that is gone: nothing to say.
    if (error.offline) {
      wanted = true;                                // Sent again once Connection hears from the server.
      PredictionView.markStale(true);
    } else if (error.timedOut) {
      wanted = true;                                // A busy server: try again in a moment.
      waitTimer = setTimeout(() => {
        waitTimer = null;
        pump();
      }, slowServerRetryMs);
    } else {
      reportError("Prediction failed", error, "prediction"); // The server refused this drawing; say why.
    }
  }

  /** Shows an answer from POST /api/predict. */
  function apply(answer, sequence) {
    shownSequence = sequence;
    current = answer;
    appliedCount += 1;
    document.body.dataset.predictions = String(appliedCount);
    PredictionView.show(answer);
    NetworkView.show(answer);
    Model.noticeVersion(answer.model);
    listeners.forEach((listener) => listener());
  }

  function showEmpty() {
    current = null;
    Status.clearTag("prediction");
    PredictionView.showPrompt("");
    NetworkView.show(null);
    listeners.forEach((listener) => listener());
  }

  Connection.onReconnect(() => {
    if (wanted) pump();
  });

  return {
    drawingChanged,
    refresh,
    /** The digit on screen, or null when there is none (empty canvas, or the server found no digit). */
    get digit() {
      return current && typeof current.digit === "number" ? current.digit : null;
    },
    /** Whether the answer on screen is "not a digit" (the model read the drawing and found none of 0–9 in it). */
    get rejected() {
      return saysNotADigit(current);
    },
    /** Calls `listener()` whenever the prediction on screen changes. */
    onChange(listener) { listeners.push(listener); },
  };
})();
