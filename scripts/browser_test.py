#!/usr/bin/env python3
"""End-to-end test of the studio page in a real browser: `digits serve` on a fresh database, driven by
headless Chromium through Selenium (mouse, touch and pen drawing, clear/undo, the stages view, Right and
Wrong, a server restart, a retraining run, and a phone-sized screen).

usage: browser_test.py --model MODEL [--digits .build/release/digits] [--data MNIST_DIR]
                       [--screenshots runs/browser-screenshots] [--steps 100] [--time-limit 300]

Needs Debian's `chromium` and `chromium-driver` packages and `pip install selenium`; the browser is named
explicitly (/usr/bin/chromium, /usr/bin/chromedriver) so Selenium never looks for one on the network.
Prints one line per check ("ok: ..." or "FAIL: ..."); the exit status is 1 when any check failed.
"""
import argparse, os, re, shutil, signal, sys, tempfile, time, traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from studio_server import StudioServer, request  # noqa: E402

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.actions import interaction
    from selenium.webdriver.common.actions.action_builder import ActionBuilder
    from selenium.webdriver.common.actions.pointer_input import PointerInput
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:
    sys.exit("browser_test.py needs Selenium: pip install selenium")

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESKTOP = (1200, 1000)
PHONE = (390, 844)
STAGE_NAMES = ["ink", "smoothed", "thresholded", "cropped", "fitted", "centered"]

# Digits as polylines in fractions of the canvas side (x right, y down).
ONE = [(0.5, 0.18), (0.5, 0.82)]                        # a plain vertical bar through the middle
SEVEN = [(0.28, 0.22), (0.72, 0.22), (0.44, 0.82)]
TOP_BAR = [(0.15, 0.1), (0.4, 0.1)]                       # a short stroke away from the 1, for undo


# ---------- Results ----------

class Checks:
    """Prints one line per check and counts the failures."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        ok = bool(ok)
        suffix = f" ({detail})" if detail not in ("", None) else ""
        print(f"{'ok' if ok else 'FAIL'}: {what}{suffix}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def note(self, message):
        print(f"note: {message}", flush=True)


class Watchdog(Exception):
    """Raised by SIGALRM when the whole run takes too long, so the cleanup still runs."""


def on_alarm(signum, frame):
    raise Watchdog("the browser test ran out of time")


# ---------- Helpers ----------

def until(condition, timeout, poll=0.05):
    """condition()'s first truthy value within `timeout` seconds, else None (exceptions count as false)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except WebDriverException:
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(poll)


def densify(path, count):
    """`count` points spread evenly along a polyline (so a stroke takes a while to draw, like a hand)."""
    lengths = [((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 for (x0, y0), (x1, y1) in zip(path, path[1:])]
    total = sum(lengths)
    points = []
    for i in range(count):
        target = total * i / (count - 1)
        for (start, end), length in zip(zip(path, path[1:]), lengths):
            if target <= length or end == path[-1]:
                t = 0 if length == 0 else min(1.0, target / length)
                points.append((start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t))
                break
            target -= length
    return points


def make_driver(size, phone=False):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={size[0]},{size[1]}",
                     "--disable-extensions", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-default-apps", "--disable-sync"]:
        options.add_argument(argument)
    if phone:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 3.0, "touch": True}})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(15)
    return driver


RECORDER = """
if (!window.__browserTest) {
  window.__browserTest = [];
  const record = (event) => {
    if (!event.target || event.target.id !== "canvas") return;
    window.__browserTest.push({type: event.type, pointerType: event.pointerType,
                               predictions: Number(document.body.dataset.predictions || 0)});
  };
  for (const type of ["pointerdown", "pointerup", "pointercancel"]) window.addEventListener(type, record, true);
}
"""

BRIGHT_PIXELS = """
const canvas = document.getElementById(arguments[0]);
const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
let bright = 0;
for (let i = 0; i < data.length; i += 4) if (data[i] > 128 && data[i + 1] > 128) bright += 1;
return bright;
"""

INK_AT = """
const canvas = document.getElementById("canvas");
const x = Math.round(arguments[0] * canvas.width), y = Math.round(arguments[1] * canvas.height);
return canvas.getContext("2d").getImageData(x, y, 1, 1).data[3];
"""


class Page:
    """One browser on the studio page, with the checks that read it."""

    def __init__(self, driver, checks, name):
        self.driver = driver
        self.checks = checks
        self.name = name
        self.console = []       # Every browser console entry read so far.
        self.events_seen = 0

    # ---- Reading the page ----

    def el(self, element_id):
        return self.driver.find_element(By.ID, element_id)

    def text(self, element_id):
        return self.driver.execute_script("return document.getElementById(arguments[0]).textContent", element_id).strip()

    def shown(self, element_id):
        return self.el(element_id).is_displayed()

    def predictions(self):
        return int(self.driver.execute_script("return Number(document.body.dataset.predictions || 0)"))

    def bars(self):
        return self.driver.execute_script("""
            return Array.from(document.querySelectorAll('#bars li.bar')).map(
                (bar) => [bar.dataset.digit, bar.dataset.probability, bar.classList.contains('top')]);""")

    def samples(self):
        return self.driver.execute_script("""
            return Array.from(document.querySelectorAll('#samples .sample')).map(
                (item) => [Number(item.dataset.id), item.dataset.label, item.dataset.prediction]);""")

    def bright_pixels(self, element_id):
        return int(self.driver.execute_script(BRIGHT_PIXELS, element_id))

    def read_console(self):
        entries = self.driver.get_log("browser")
        self.console += entries
        return entries

    def load(self, url):
        self.driver.get(url)
        self.after_load()

    def after_load(self):
        self.driver.execute_script(RECORDER)
        self.events_seen = 0
        loaded = until(lambda: re.search(r"\d+ samples?", self.text("samples-total"))
                       and self.text("model-version") not in ("", "…"), 15)
        self.checks.check(loaded, f"{self.name}: the page loaded its samples and model",
                          f"{self.text('samples-total')!r}, model {self.text('model-version')!r}")

    # ---- Drawing ----

    def canvas_rect(self):
        canvas = self.el("canvas")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", canvas)
        return canvas, self.driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width, r.height];", canvas)

    def draw(self, path, pointer="mouse", points=24, step_ms=40):
        """Draws one stroke along `path` with the mouse, a finger ("touch") or a pen; returns what the page saw."""
        canvas, (left, top, width, height) = self.canvas_rect()
        stroke = densify(path, points)
        if pointer == "mouse":
            actions = ActionChains(self.driver, duration=step_ms)
            offset = lambda p: (round((p[0] - 0.5) * width), round((p[1] - 0.5) * height))  # from the center
            actions.move_to_element_with_offset(canvas, *offset(stroke[0])).click_and_hold()
            for point in stroke[1:]:
                actions.move_to_element_with_offset(canvas, *offset(point))
            actions.release().perform()
        else:
            kind = {"touch": interaction.POINTER_TOUCH, "pen": interaction.POINTER_PEN}[pointer]
            builder = ActionBuilder(self.driver, mouse=PointerInput(kind, pointer), duration=step_ms)
            at = lambda p: (round(left + p[0] * width), round(top + p[1] * height))
            builder.pointer_action.move_to_location(*at(stroke[0])).pointer_down()
            for point in stroke[1:]:
                builder.pointer_action.move_to_location(*at(point))
            builder.pointer_action.pointer_up()
            builder.perform()
        events = self.driver.execute_script("return window.__browserTest || []")[self.events_seen:]
        self.events_seen += len(events)
        return events

    def settle(self, at_least, timeout=10):
        """Waits for a prediction answer after `at_least`, then until no more arrive for 0.3 s."""
        if not until(lambda: self.predictions() > at_least, timeout):
            return False
        last, stable_since = self.predictions(), time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() - stable_since < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.predictions()
            if now != last:
                last, stable_since = now, time.monotonic()
        return True

    def draw_and_check(self, what, path, pointer="mouse", expect=None):
        """Draws a stroke and checks the live prediction: during the stroke, after it, bars, heatmap."""
        check = self.checks.check
        before = self.predictions()
        events = self.draw(path, pointer)
        downs = [e for e in events if e["type"] == "pointerdown"]
        ups = [e for e in events if e["type"] in ("pointerup", "pointercancel")]
        if not check(downs and ups, f"{what}: the canvas got pointerdown and pointerup",
                     f"{[e['type'] for e in events]}"):
            return None
        check(downs[0]["pointerType"] == pointer, f"{what}: the page saw pointerType {pointer!r}",
              f"got {downs[0]['pointerType']!r}")
        grown = ups[-1]["predictions"] - downs[0]["predictions"]
        check(grown > 0, f"{what}: predictions were shown while drawing, before the stroke ended",
              f"{grown} answers applied during the stroke")
        check(self.settle(max(before, ups[-1]["predictions"])), f"{what}: a prediction came after the stroke ended",
              f"data-predictions {before} → {self.predictions()}")
        return self.check_prediction(what, expect)

    def check_prediction(self, what, expect=None):
        check = self.checks.check
        digit = self.text("prediction-digit")
        check(re.fullmatch(r"[0-9]", digit), f"{what}: #prediction-digit shows a digit", repr(digit))
        check(not self.shown("prediction-prompt"), f"{what}: the 'Draw a digit' prompt is hidden")
        bars = self.bars()
        check([b[0] for b in bars] == [str(d) for d in range(10)], f"{what}: ten bars, data-digit 0–9")
        try:
            probabilities = [float(b[1]) for b in bars]
        except ValueError:
            probabilities = []
        total = sum(probabilities)
        check(len(probabilities) == 10 and abs(total - 1) <= 1e-3, f"{what}: the bars' probabilities sum to 1",
              f"sum {total:.6f}")
        if probabilities:
            top = max(range(len(probabilities)), key=probabilities.__getitem__)
            marked = [b[0] for b in bars if b[2]]
            check(str(top) == digit and marked == [digit], f"{what}: the top bar is the shown digit",
                  f"argmax {top}, .top {marked}, digit {digit!r}")
        bright = self.bright_pixels("network-input")
        check(self.shown("network-input") and bright > 0, f"{what}: the network-input heatmap shows the digit",
              f"{bright} bright pixels of 784")
        check(self.el("right").is_enabled() and self.el("wrong").is_enabled(), f"{what}: Right and Wrong are enabled")
        if expect is not None:
            if digit == str(expect):
                check(True, f"{what}: read as {expect}")
            else:
                self.checks.note(f"{what}: the model read it as {digit!r}, not {expect} (not counted as a failure)")
        return digit

    def check_cleared(self, what):
        check = self.checks.check
        empty = lambda: (self.text("prediction-digit") == "" and self.shown("prediction-prompt"))
        check(until(empty, 5), f"{what}: the prompt is back and no digit is shown",
              f"digit {self.text('prediction-digit')!r}")
        time.sleep(0.4)  # An answer still under way must not bring the old digit back.
        check(empty(), f"{what}: still no digit a moment later (no stale answer)")
        check(all(b[1] == "0" for b in self.bars()), f"{what}: every bar is back to 0")
        check(self.bright_pixels("network-input") == 0, f"{what}: the heatmap is empty")
        check(not self.el("undo").is_enabled() and not self.el("clear").is_enabled(),
              f"{what}: Undo and Clear are disabled")
        check(self.driver.execute_script(INK_AT, 0.5, 0.5) == 0, f"{what}: the canvas has no ink")

    def press(self, *keys):
        ActionChains(self.driver).send_keys(*keys).perform()

    def status_saved(self, label, known=(), timeout=10):
        """The id of a newly saved sample from the status line 'Saved as LABEL (#ID)', or None.
        `known`: ids saved before, whose message may still be showing."""
        def saved():
            match = re.search(rf"Saved as {label} \(#(\d+)\)", self.text("status"))
            return match and int(match.group(1)) not in known and int(match.group(1))
        return until(saved, timeout)

    def screenshot(self, directory, name, element_id=None):
        if element_id:
            self.driver.execute_script("document.getElementById(arguments[0]).scrollIntoView({block: 'center'})",
                                       element_id)
        else:
            self.driver.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.3)  # Transitions (bars, the status toast) finish.
        path = os.path.join(directory, f"{name}.png")
        ok = self.driver.save_screenshot(path)
        self.checks.check(ok and os.path.getsize(path) > 0, f"screenshot {path}")


# ---------- The test ----------

def desktop_drawing(page, shots):
    check = page.checks.check
    check(page.shown("prediction-prompt") and page.text("prediction-digit") == "",
          "fresh page: the prompt shows and no digit")
    check(len(page.bars()) == 10, "fresh page: ten bars")
    check(not page.el("right").is_enabled() and not page.el("retrain").is_enabled(),
          "fresh page: Right and Retrain are disabled (nothing drawn, no samples)")
    base = page.driver.current_url.split("?")[0]
    resources = page.driver.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
    check(resources and all(name.startswith(base) for name in resources),
          "the page loads nothing from other origins", f"{len(resources)} resources")

    page.draw_and_check("mouse 1", ONE, expect=1)
    page.screenshot(shots, "desktop-drawn")

    page.el("clear").click()
    page.check_cleared("Clear button")

    page.draw_and_check("mouse 7", SEVEN, expect=7)
    page.press("c")
    page.check_cleared("C key")

    # Undo: a 1, then a short stroke well away from it; undo removes only the short stroke.
    page.draw_and_check("undo setup: mouse 1", ONE)
    count = page.predictions()
    page.draw(TOP_BAR)
    page.settle(count)
    ink_at = lambda x, y: page.driver.execute_script(INK_AT, x, y)
    check(ink_at(0.275, 0.1) > 0 and ink_at(0.5, 0.5) > 0, "undo setup: both strokes are on the canvas")
    count = page.predictions()
    page.el("undo").click()
    check(until(lambda: ink_at(0.275, 0.1) == 0, 3) and ink_at(0.5, 0.5) > 0,
          "Undo button: the last stroke is gone, the first one stays")
    check(page.settle(count), "Undo button: a new prediction came for what is left")
    page.check_prediction("after undo")
    ActionChains(page.driver).key_down(Keys.CONTROL).send_keys("z").key_up(Keys.CONTROL).perform()
    page.check_cleared("Ctrl+Z undoing the only stroke")

    page.draw_and_check("touch 1", ONE, pointer="touch", expect=1)
    page.el("clear").click()
    page.check_cleared("Clear after touch")
    page.draw_and_check("pen 7", SEVEN, pointer="pen", expect=7)
    page.press("c")
    page.check_cleared("C after pen")


def desktop_stages(page, shots):
    check = page.checks.check
    page.draw_and_check("mouse 7 for the stages", SEVEN)
    count = page.predictions()
    page.el("stages-toggle").click()
    check(page.settle(count), "stages toggle: the prediction is asked again")
    names = until(lambda: [f.get_attribute("data-stage") for f in page.driver.find_elements(By.CSS_SELECTOR, "#stages figure")]
                  == STAGE_NAMES and STAGE_NAMES, 5)
    check(page.shown("stages") and names, "stages toggle: six stage images appear, in order", f"{STAGE_NAMES}")
    painted = page.driver.execute_script("""
        return Array.from(document.querySelectorAll('#stages figure canvas')).map((c) => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let bright = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 128) bright += 1;
            return [c.width, c.height, bright, c.getBoundingClientRect().width];});""")
    check(painted and all(w > 0 and h > 0 and bright > 0 and shown > 0 for w, h, bright, shown in painted),
          "stages: every stage image has ink", f"{[(w, h) for w, h, _, _ in painted]}")
    page.screenshot(shots, "desktop-stages", "network-input")
    page.el("stages-toggle").click()
    check(until(lambda: not page.shown("stages"), 3), "stages toggle off: the stages are hidden")


def desktop_feedback(page, shots):
    """Wrong + label button, Right, Wrong + keys; returns {id: label} of the saved samples."""
    check = page.checks.check
    saved = {}

    page.draw_and_check("mouse 7 to mark wrong", SEVEN)
    shown_digit = page.text("prediction-digit")
    page.el("wrong").click()
    check(until(lambda: page.shown("label-picker"), 3), "Wrong: the label picker opens")
    buttons = page.driver.find_elements(By.CSS_SELECTOR, "#label-picker [data-label]")
    check([b.get_attribute("data-label") for b in buttons] == [str(d) for d in range(10)],
          "Wrong: the picker has buttons 0–9")
    page.screenshot(shots, "desktop-wrong-label-picker", "label-picker")
    page.driver.find_element(By.CSS_SELECTOR, '#label-picker [data-label="7"]').click()
    sample_id = page.status_saved(7, saved)
    check(sample_id is not None, "Wrong + label button 7: the status says it was saved", repr(page.text("status")))
    page.check_cleared("after saving as 7")
    check(until(lambda: not page.shown("label-picker"), 3), "after saving: the picker is closed")
    item = until(lambda: [s for s in page.samples() if s[0] == sample_id], 5)
    check(item and item[0][1] == "7" and item[0][2] == shown_digit,
          "the sample appears in #samples with label 7 and the shown guess",
          f"{item[0] if item else None}, guess was {shown_digit!r}")
    if sample_id is not None:
        saved[sample_id] = "7"

    page.draw_and_check("mouse 1 to mark right", ONE)
    guess = page.text("prediction-digit")
    page.el("right").click()
    sample_id = page.status_saved(guess, saved)
    check(sample_id is not None, f"Right: the status says it was saved as {guess}", repr(page.text("status")))
    page.check_cleared("after Right")
    item = until(lambda: [s for s in page.samples() if s[0] == sample_id], 5)
    check(item and item[0][1] == guess and item[0][2] == guess,
          "the Right sample appears in #samples labelled with the guess", f"{item[0] if item else None}")
    if sample_id is not None:
        saved[sample_id] = guess

    page.draw_and_check("touch 1 to mark wrong by keys", ONE, pointer="touch")
    page.press("w")
    check(until(lambda: page.shown("label-picker"), 3), "W key: the label picker opens")
    page.press("1")
    sample_id = page.status_saved(1, saved)
    check(sample_id is not None, "key 1 in the picker: the status says it was saved as 1", repr(page.text("status")))
    page.check_cleared("after saving as 1 by key")
    item = until(lambda: [s for s in page.samples() if s[0] == sample_id], 5)
    check(item and item[0][1] == "1", "the keyed sample appears in #samples with label 1",
          f"{item[0] if item else None}")
    if sample_id is not None:
        saved[sample_id] = "1"

    total = until(lambda: page.text("samples-total") == f"{len(saved)} samples" and page.text("samples-total"), 5)
    check(total, f"#samples-total says {len(saved)} samples", repr(page.text("samples-total")))
    status, answer = request(page.driver.current_url.split("?")[0] + "api/samples")
    stored = {s["id"]: str(s["label"]) for s in answer["samples"]} if status == 200 else None
    check(stored == saved, "GET /api/samples has the same ids and labels", f"{stored} vs {saved}")
    return saved


def desktop_after_restart(page, shots, saved, listed_before):
    check = page.checks.check
    listed = until(lambda: len(page.samples()) == len(listed_before) and page.samples(), 10) or page.samples()
    check(sorted(map(tuple, listed)) == sorted(map(tuple, listed_before)),
          "after the restart the page lists the same samples (ids, labels, guesses)", f"{listed}")
    check({s[0]: s[1] for s in listed} == saved, "after the restart every saved id keeps its label", f"{saved}")
    page.screenshot(shots, "desktop-samples-after-restart", "samples")


def desktop_training(page, shots, url, timeout):
    check = page.checks.check
    check(until(lambda: page.el("retrain").is_enabled(), 5), "Retrain is enabled with saved samples")
    page.el("retrain").click()
    states, progress_seen = set(), 0.0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.text("training-state")
        states.add(state)
        if state == "running":
            value = page.driver.execute_script(
                "const p = document.getElementById('training-progress'); return p.value / p.max;")
            progress_seen = max(progress_seen, value or 0)
        if state in ("finished", "failed", "cancelled"):
            break
        time.sleep(0.1)
    state = page.text("training-state")
    if not check(state == "finished", f"retraining finished within {timeout} s",
                 f"state {state!r}, seen {sorted(states)}, error {page.text('training-error')!r}"):
        return
    page.checks.note(f"states seen: {sorted(states)}, largest progress seen while running {progress_seen:.0%}")
    status, job = request(url + "api/training")
    result = (job or {}).get("result") or {}
    check(status == 200 and job.get("state") == "finished" and result, "GET /api/training reports the finished job")
    box = page.el("training-result")
    check(box.is_displayed(), "#training-result is shown")
    accepted = box.get_attribute("data-accepted")
    check(accepted in ("true", "false") and accepted == str(bool(result.get("accepted"))).lower(),
          "#training-result data-accepted matches the job's result", f"{accepted!r}, accepted={result.get('accepted')}")
    text = page.text("training-result")
    percent = lambda x: f"{x * 100:.2f}%" if isinstance(x, (int, float)) else "?"
    before_after = f"{percent(result.get('mnistBefore'))} → {percent(result.get('mnistAfter'))}"
    check("MNIST test accuracy" in text and before_after in text,
          "#training-result shows MNIST accuracy before → after", before_after)
    progress = page.driver.execute_script(
        "const p = document.getElementById('training-progress'); return [p.value, p.max];")
    check(progress == [result.get("steps"), result.get("steps")], "#training-progress is full at the end",
          f"{progress}, steps {result.get('steps')}")

    def versions_agree():
        status, model = request(url + "api/model")
        return status == 200 and page.text("model-version") == model["version"] and model["version"]
    version = until(versions_agree, 10)
    check(version, "#model-version matches GET /api/model", f"page {page.text('model-version')!r}")
    _, model = request(url + "api/model")
    check(model.get("notADigit") and page.text("model-architecture").endswith(f'says "not a digit" {model["notADigit"]}'),
          "#model-architecture says when the model calls a drawing \"not a digit\", like GET /api/model",
          f"page {page.text('model-architecture')!r}, API {model.get('notADigit')!r}")
    if result.get("accepted"):
        check(version == result.get("version"), "the accepted version is the active one", f"{result.get('version')}")
    page.screenshot(shots, "desktop-training-finished", "training-result")

    # Reset to the base model (the page asks with confirm()).
    page.el("reset-model").click()
    alert = until(lambda: page.driver.switch_to.alert, 3)
    if check(alert, "Reset: the page asks for confirmation"):
        alert.accept()
        check(until(lambda: page.text("model-version") == "base" and versions_agree(), 10),
              "Reset: #model-version is base, like GET /api/model", repr(page.text("model-version")))


def phone(page, shots):
    check = page.checks.check
    metrics = page.driver.execute_script(
        "return [innerWidth, document.documentElement.scrollWidth, navigator.maxTouchPoints];")
    check(metrics[0] == PHONE[0], f"phone: the viewport is {PHONE[0]} px wide", f"innerWidth {metrics[0]}")
    check(metrics[1] <= metrics[0], "phone: no horizontal scrolling", f"scrollWidth {metrics[1]}, innerWidth {metrics[0]}")
    _, (left, top, width, height) = page.canvas_rect()
    check(left >= 0 and left + width <= metrics[0] and width >= 200, "phone: the canvas fits the screen",
          f"{width:.0f} px wide at x={left:.0f}")
    scroll_before = page.driver.execute_script("return [scrollX, scrollY]")
    page.draw_and_check("phone touch 1", ONE, pointer="touch", expect=1)
    check(page.driver.execute_script("return [scrollX, scrollY]") == scroll_before,
          "phone: drawing does not scroll the page", f"{scroll_before}")
    metrics = page.driver.execute_script("return [innerWidth, document.documentElement.scrollWidth];")
    check(metrics[1] <= metrics[0], "phone: still no horizontal scrolling with a prediction shown",
          f"scrollWidth {metrics[1]}, innerWidth {metrics[0]}")
    page.screenshot(shots, "phone-drawn")


def check_console(page):
    try:
        page.read_console()
    except WebDriverException as error:
        page.checks.check(False, f"{page.name}: read the browser console", str(error).splitlines()[0])
        return
    severe = [e for e in page.console if e.get("level") == "SEVERE"]
    for entry in page.console:
        if "willReadFrequently" in entry.get("message", ""):
            continue  # Caused by this test's own getImageData readbacks.
        if entry.get("level") != "SEVERE":
            page.checks.note(f"{page.name} console {entry.get('level')}: {entry.get('message')}")
    page.checks.check(not severe, f"{page.name}: no SEVERE entries in the browser console",
                      "; ".join(e.get("message", "") for e in severe)[:2000])


def check_prerequisites(script, digits, model):
    """Exits with a clear message when the binary, the model, Chromium or chromedriver is missing."""
    for path, what in [(digits, "the digits binary"), (model, "the model"),
                       (CHROMIUM, "Chromium (apt-get install chromium)"),
                       (CHROMEDRIVER, "chromedriver (apt-get install chromium-driver)")]:
        if not os.path.exists(path):
            sys.exit(f"{script}: {what} is missing: {path}")


class BrowserRun:
    """The frame every browser test shares: a time limit for the whole run (SIGALRM raises `Watchdog`), the
    checks, a scratch folder, and the browsers and studio servers the test starts, all closed at the end
    whatever happens (the cleanup gets its own 30 s). `run(body)` calls body(self), prints the outcome and
    returns the exit status; the scratch folder is kept when a check failed."""

    def __init__(self, script, args, prefix):
        check_prerequisites(script, args.digits, args.model)
        os.makedirs(args.screenshots, exist_ok=True)
        self.args, self.checks = args, Checks()
        self.workdir = tempfile.mkdtemp(prefix=prefix)
        self.drivers, self.servers = [], []

    def driver(self, size, phone=False):
        driver = make_driver(size, phone=phone)
        self.drivers.append(driver)
        return driver

    def quit(self, driver):
        self.drivers.remove(driver)
        driver.quit()

    def server(self, *arguments, **options):
        server = StudioServer(*arguments, **options)
        self.servers.append(server)
        return server

    def stop(self, server):
        self.servers.remove(server)
        server.stop()

    def run(self, body):
        started = time.monotonic()
        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(self.args.time_limit)
        try:
            body(self)
        except Watchdog as error:
            self.checks.check(False, f"{error} (limit {self.args.time_limit} s)")
            traceback.print_exc()
        except Exception as error:  # noqa: BLE001
            self.checks.check(False, "the test ran to the end", f"{type(error).__name__}: {error}")
            traceback.print_exc()
        finally:
            signal.alarm(30)
            try:
                for driver in self.drivers:
                    try:
                        driver.quit()
                    except Exception:  # noqa: BLE001
                        try:
                            driver.service.stop()
                        except Exception:  # noqa: BLE001
                            pass
                for server in self.servers:
                    try:
                        server.stop()
                    except Exception:  # noqa: BLE001
                        server.kill()
            except Watchdog:
                for server in self.servers:
                    server.process.kill()
            signal.alarm(0)
        elapsed = time.monotonic() - started
        checks = self.checks
        if checks.failed:
            print(f"{checks.failed} of {checks.passed + checks.failed} checks FAILED in {elapsed:.0f} s; "
                  f"the databases and server logs are kept in {self.workdir}")
            return 1
        shutil.rmtree(self.workdir, ignore_errors=True)
        print(f"all {checks.passed} checks passed in {elapsed:.0f} s; screenshots in {self.args.screenshots}")
        return 0


def run_phase(checks, name, function, *arguments):
    """Runs one part of the test; an exception (a timeout, a missing element) is a failed check."""
    try:
        return function(*arguments)
    except Watchdog:
        raise
    except Exception as error:  # noqa: BLE001 — every failure is reported, then the next part runs
        checks.check(False, f"{name} ran to the end", f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
        traceback.print_exc()
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", required=True, help="a trained model file")
    parser.add_argument("--data", default=os.environ.get("DIGITS_DATA"), help="MNIST directory (default $DIGITS_DATA)")
    parser.add_argument("--screenshots", default="runs/browser-screenshots")
    parser.add_argument("--steps", type=int, default=100, help="steps of the retraining run (default 100)")
    parser.add_argument("--training-timeout", type=float, default=120)
    parser.add_argument("--time-limit", type=int, default=300, help="stop everything after this many seconds")
    args = parser.parse_args()

    run = BrowserRun("browser_test.py", args, "digits-browser-test-")
    return run.run(lambda run: whole_test(run, args))


def whole_test(run, args):
    """The desktop session (drawing, stages, feedback, a restart on the same database, retraining), then the
    phone layout."""
    checks = run.checks
    database = os.path.join(run.workdir, "studio.sqlite")
    extra = ["--steps", str(args.steps)]
    server = run.server(args.digits, args.model, database, args.data, extra=extra)
    checks.check(True, f"server started at {server.url} on a fresh database", f"{server.start_seconds:.1f} s")

    driver = run.driver(DESKTOP)
    desktop = Page(driver, checks, "desktop")
    desktop.load(server.url)
    run_phase(checks, "drawing, clearing and undo", desktop_drawing, desktop, args.screenshots)
    run_phase(checks, "the stages view", desktop_stages, desktop, args.screenshots)
    saved = run_phase(checks, "Right and Wrong", desktop_feedback, desktop, args.screenshots) or {}
    listed_before = desktop.samples()
    desktop.read_console()

    # Restart on the same database, model and port, then reload the page.
    port = int(re.search(r":(\d+)/", server.url).group(1))
    run.stop(server)
    try:
        server = run.server(args.digits, args.model, database, args.data, extra=extra, port=port)
        desktop.driver.refresh()
    except RuntimeError as error:
        checks.note(f"could not listen on port {port} again ({str(error).strip()[-200:]}); using a new port")
        server = run.server(args.digits, args.model, database, args.data, extra=extra)
        desktop.driver.get(server.url)
    checks.check(True, f"server restarted on the same database at {server.url}")
    desktop.after_load()
    run_phase(checks, "samples after the restart", desktop_after_restart, desktop, args.screenshots, saved,
              listed_before)
    run_phase(checks, "retraining", desktop_training, desktop, args.screenshots, server.url,
              args.training_timeout)
    check_console(desktop)
    run.quit(driver)

    mobile = Page(run.driver(PHONE, phone=True), checks, "phone")
    mobile.load(server.url)
    run_phase(checks, "the phone layout", phone, mobile, args.screenshots)
    check_console(mobile)

if __name__ == "__main__":
    sys.exit(main())
