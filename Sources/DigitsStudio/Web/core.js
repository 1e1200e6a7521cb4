// core.js — the first part of studio.js: DOM helpers, the status line, the token and the API client.
//
// Every part of the script is a plain `const Name = (() => { ... })()` module; the parts only call each
// other from inside functions, so the order of the parts matters only for this one, which comes first
// and switches on strict mode for the whole script.

"use strict";

// ---------- Small helpers ----------

/** The element with this id; fails loudly when the page and the script disagree. */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`studio.js: the page has no element #${id}`);
  return element;
}

/** A new element with an optional class name and text. */
function makeElement(tag, className = "", text = "") {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text) element.textContent = text;
  return element;
}

/** Whether an answer of POST /api/predict is "not a digit": the model read the drawing (its probabilities are
 *  given) and found none of 0–9 in it ("digit": null). No ink, or no answer, is not. */
function saysNotADigit(answer) {
  return Boolean(answer && answer.digit === null && Array.isArray(answer.probabilities));
}

/** 0.9213 → "92.1%"; null or undefined → "—". */
function formatPercent(fraction, digits = 1) {
  if (typeof fraction !== "number" || !Number.isFinite(fraction)) return "—";
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** "2026-11-23T10:00:00Z" → "Nov 23, 2026, 10:00 AM" in the reader's locale and time zone. */
function formatDate(isoText) {
  const date = new Date(isoText);
  if (Number.isNaN(date.getTime())) return String(isoText);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** True when keys typed now are text for a form field rather than studio shortcuts. */
function isTypingTarget(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(target.type);
}

// ---------- Status line ----------

/** The one line where the page reports what happened: saved, failed, offline. It never steals focus. */
const Status = (() => {
  const toast = byId("status-toast");
  const line = byId("status");
  const shownMs = { ok: 5000, info: 8000 };  // Errors stay until replaced or dismissed.
  let hideTimer = null;
  let currentTag = "";

  /**
   * kind: "info" or "ok" (both fade after a few seconds), "error" or "offline" (both stay until replaced).
   * tag: names the source of the message, so that source can take it back later (see `clearTag`).
   */
  function show(message, kind = "info", tag = "") {
    clearTimeout(hideTimer);
    line.textContent = message;
    toast.dataset.kind = kind;
    currentTag = tag || kind;
    toast.classList.add("visible");
    if (shownMs[kind]) hideTimer = setTimeout(clear, shownMs[kind]);
  }

  function clear() {
    clearTimeout(hideTimer);
    line.textContent = "";
    toast.dataset.kind = "info";
    currentTag = "";
    toast.classList.remove("visible");
  }

  /** Clears the line only if it still shows a message with this tag (an older notice, not a newer one). */
  function clearTag(tag) {
    if (currentTag === tag && line.textContent !== "") clear();
  }

  byId("status-dismiss").addEventListener("click", clear);

  return {
    info: (message, tag) => show(message, "info", tag),
    ok: (message, tag) => show(message, "ok", tag),
    error: (message, tag) => show(message, "error", tag),
    offline: (message) => show(message, "offline", "offline"),
    clear,
    clearTag,
  };
})();

// ---------- Token ----------

/**
 * The access token for writing requests. `digits serve` prints the page's URL with `?token=...` when it
 * needs one; the page keeps it in sessionStorage so a reload of the same tab still has it, and then takes it
 * out of the address bar (and this page's history entry), where it could be shared or seen over a shoulder.
 */
const Token = (() => {
  const storageKey = "digits-studio-token";

  function read() {
    const fromUrl = new URLSearchParams(window.location.search).get("token");
    try {
      if (fromUrl) {
        sessionStorage.setItem(storageKey, fromUrl);
        const url = new URL(window.location.href);
        url.searchParams.delete("token");
        history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      }
      return fromUrl || sessionStorage.getItem(storageKey) || "";
    } catch {
      return fromUrl || ""; // Storage can be switched off; the URL still works for this load.
    }
  }

  const value = read();
  const missingMessage = "This server needs the token printed when it started; open the URL with ?token=… exactly as `digits serve` printed it.";
  const rejectedMessage = "The server did not accept this page's token; open the URL with ?token=… exactly as `digits serve` printed it when it started.";
  return { value, missingMessage, rejectedMessage };
})();

// ---------- Connection ----------

/**
 * Knows whether the server answers. When a request cannot reach it, the status line says so and the page
 * asks `/api/health` now and then, backing off gently; once it answers, every listener runs (the panels
 * reload, a waiting prediction is sent).
 */
const Connection = (() => {
  const message = "Can't reach the studio server. Is `digits serve` still running? Retrying…";
  const firstRetryMs = 1500;
  const longestRetryMs = 10000;
  const listeners = [];
  let online = true;
  let retryMs = firstRetryMs;
  let pollTimer = null;

  function lost() {
    if (online) {
      online = false;
      retryMs = firstRetryMs;
    }
    Status.offline(message);
    if (pollTimer === null) pollTimer = setTimeout(poll, retryMs);
  }

  function answered() {
    if (online) return;
    online = true;
    clearTimeout(pollTimer);
    pollTimer = null;
    Status.clearTag("offline");
    listeners.forEach((listener) => listener());
  }

  // pollTimer stays set while a poll's request is under way, so `lost()` never starts a second poller.
  async function poll() {
    try {
      const response = await fetch("api/health", { cache: "no-store" });
      if (response.ok) {
        pollTimer = null;
        return answered();
      }
    } catch {
      // Still unreachable: try again a little later.
    }
    retryMs = Math.min(retryMs * 1.6, longestRetryMs);
    pollTimer = online ? null : setTimeout(poll, retryMs);
  }

  return {
    lost,
    answered,
    get online() { return online; },
    /** Runs `listener` each time the server answers again after being unreachable. */
    onReconnect(listener) { listeners.push(listener); },
  };
})();

// ---------- API client ----------

/** A failed API call. `status` is the HTTP status, or 0 when no answer came (offline or timed out). */
class ApiError extends Error {
  constructor(message, status, { timedOut = false } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.timedOut = timedOut;
  }
  /** True when the server could not be reached at all. */
  get offline() { return this.status === 0 && !this.timedOut; }
}

/** JSON over fetch. Writing requests carry the token; every error becomes an ApiError with a readable message. */
const Api = (() => {
  const defaultTimeoutMs = 20000;

  async function request(method, path, { body, timeoutMs = defaultTimeoutMs } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && Token.value) headers.Authorization = `Bearer ${Token.value}`;

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    try {
      response = await fetch(path, {
        method, headers, cache: "no-store", signal: controller.signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error.name === "AbortError") {
        throw new ApiError(`The server did not answer within ${timeoutMs / 1000} s.`, 0, { timedOut: true });
      }
      Connection.lost();
      throw new ApiError("can't reach the server", 0);
    } finally {
      clearTimeout(timer);
    }
    Connection.answered();
    return readAnswer(response);
  }

  /** The JSON body of an answer (null for 204), or an ApiError built from `{"error": ...}`. */
  async function readAnswer(response) {
    let text = "";
    try {
      text = response.status === 204 ? "" : await response.text();
    } catch {
      throw new ApiError("The connection broke while the server was answering.", 0, { timedOut: true });
    }
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) throw new ApiError("The server sent an answer the page cannot read.", response.status);
    }
    if (response.ok) return data;
    throw new ApiError(errorMessage(response, data, text), response.status);
  }

  function errorMessage(response, data, text) {
    if (response.status === 401) return Token.value ? Token.rejectedMessage : Token.missingMessage;
    if (data && typeof data.error === "string" && data.error) return data.error;
    const detail = text && text.length < 200 ? `: ${text.trim()}` : "";
    return `The server answered ${response.status} ${response.statusText}${detail}`;
  }

  return {
    get: (path, options) => request("GET", path, options),
    post: (path, body, options) => request("POST", path, { ...options, body }),
    delete: (path, options) => request("DELETE", path, options),
  };
})();

/**
 * Shows a failed action in the status line: "Could not save the sample: <the server's message>".
 * When the server is unreachable the notice is of the "offline" kind, so it clears itself on reconnection;
 * `tag` lets the caller take its own message back later (Status.clearTag).
 */
function reportError(action, error, tag = "") {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && error.offline) {
    Status.offline(`${action}: can't reach the studio server. Is \`digits serve\` still running? Retrying…`);
  } else {
    Status.error(`${action}: ${reason}`, tag);
  }
  if (!(error instanceof ApiError)) console.error(error); // A bug in the page, not a server answer.
}
