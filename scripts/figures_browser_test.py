#!/usr/bin/env python3
"""Real-browser test of the figures: the HTML report of `digits report` opened from disk, and the studio's
Model page (your handwriting vs MNIST test, clicking confusion cells, live curves during a retraining),
at desktop and phone width, in headless Chromium through Selenium. Saves screenshots.

usage: figures_browser_test.py --model MODEL [--digits .build/release/digits] [--data MNIST_DIR]
                               [--screenshots runs/figure-screenshots] [--steps 60] [--time-limit 300]

Prints one line per check ("ok: ..." or "FAIL: ..."); the exit status is 1 when any check failed.
"""
import argparse, os, re, subprocess, sys, time, traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from studio_server import StudioServer, request  # noqa: E402
from browser_test import DESKTOP, PHONE, BrowserRun, Watchdog, make_driver, until  # noqa: E402

REPORT_FIGURES = ["loss", "accuracy", "learning-rate", "per-digit-accuracy", "confusion-matrix", "predictions", "mistakes"]

# Every <figure>'s SVG: its rendered size and how many drawn elements it holds.
FIGURE_SIZES = """
return Array.from(document.querySelectorAll(arguments[0])).map((figure) => {
  const svg = figure.querySelector('svg');
  if (!svg) return [figure.id || figure.dataset.figure, 0, 0, 0, ''];
  const r = svg.getBoundingClientRect();
  const title = svg.querySelector('title');
  return [figure.id || figure.dataset.figure, r.width, r.height,
          svg.querySelectorAll('rect, line, polyline, text, image').length, title ? title.textContent : ''];
});"""

# The page's width against the viewport, and the widest figure.
LAYOUT = """
const widths = Array.from(document.querySelectorAll('svg')).map((svg) => svg.getBoundingClientRect().right);
return [innerWidth, document.documentElement.scrollWidth, Math.max(0, ...widths)];"""

# Resources the page loaded from anywhere but disk, its own server, or data: URLs.
FOREIGN = """
return performance.getEntriesByType('resource').map((e) => e.name)
  .filter((name) => !name.startsWith('file:') && !name.startsWith('data:') && !name.startsWith(location.origin));"""

# Non-blank pixels of a canvas (anything not fully transparent).
DRAWN_PIXELS = """
const canvas = document.getElementById(arguments[0]);
if (!canvas || canvas.hidden || canvas.width === 0) return 0;
const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
let count = 0;
for (let i = 3; i < data.length; i += 4) if (data[i] > 0) count++;
return count;"""


def screenshot(driver, checks, directory, name, selector=None):
    if selector:
        driver.execute_script("document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", selector)
    else:
        driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.3)
    path = os.path.join(directory, f"{name}.png")
    ok = driver.save_screenshot(path)
    checks.check(ok and os.path.getsize(path) > 0, f"screenshot {path}")


def check_figures(driver, checks, where, selector, expected):
    """Each expected figure is there, drawn (non-empty SVG with a title) and of a visible size."""
    figures = {row[0]: row for row in driver.execute_script(FIGURE_SIZES, selector)}
    for name in expected:
        row = figures.get(name)
        ok = row is not None and row[1] >= 150 and row[2] >= 80 and row[3] >= 10 and row[4]
        checks.check(ok, f"{where}: figure {name} is rendered and non-empty",
                     f"{row[1]:.0f}×{row[2]:.0f} px, {row[3]} elements, title {row[4]!r}" if row else "missing")
    return figures


def check_phone_layout(driver, checks, where):
    inner, scroll, widest = driver.execute_script(LAYOUT)
    checks.check(scroll <= inner, f"{where}: no horizontal scrolling at {inner} px", f"scrollWidth {scroll}")
    checks.check(widest <= inner + 0.5, f"{where}: every figure fits the screen", f"widest right edge {widest:.0f} px")


def check_console(driver, checks, where):
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    checks.check(not severe, f"{where}: no SEVERE entries in the browser console",
                 "; ".join(e.get("message", "") for e in severe)[:1000])


# ---------- The report, from disk ----------

def report_test(args, checks, workdir, drivers):
    output = os.path.join(workdir, "report")
    command = [args.digits, "report", "--model", args.model, "--output", output] + (["--data", args.data] if args.data else [])
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if not checks.check(finished.returncode == 0, "digits report wrote a report", finished.stderr.strip()[-300:]):
        return
    page = "file://" + os.path.abspath(os.path.join(output, "index.html"))
    convolutional = os.path.exists(os.path.join(output, "first-layer-filters.svg"))
    expected = [f"figure-{name}" for name in REPORT_FIGURES
                + (["first-layer-filters", "feature-maps"] if convolutional else ["first-layer-weights"])]

    driver = make_driver(DESKTOP)
    drivers.append(driver)
    driver.get(page)
    check_figures(driver, checks, "report (desktop)", "figure", expected)
    checks.check(driver.execute_script(FOREIGN) == [], "report: nothing loaded from the network",
                 f"{driver.execute_script(FOREIGN)}")
    # Each figure's PNG decodes in the browser, at the SVG's size.
    sizes = driver.execute_script("""
        const names = arguments[0];
        return Promise.all(names.map((name) => new Promise((done) => {
          const image = new Image();
          image.onload = () => done([name, image.naturalWidth, image.naturalHeight]);
          image.onerror = () => done([name, 0, 0]);
          image.src = name + '.png';
        })));""", [name.removeprefix("figure-") for name in expected])
    for name, width, height in sizes:
        svg = os.path.join(output, f"{name}.svg")
        match = re.search(r'viewBox="0 0 (\d+) (\d+)"', open(svg).read()) if os.path.exists(svg) else None
        expected_size = (int(match.group(1)), int(match.group(2))) if match else None
        checks.check(width > 0 and (width, height) == expected_size, f"report: {name}.png loads in the browser at the SVG's size",
                     f"{width}×{height}, SVG {expected_size}")
    screenshot(driver, checks, args.screenshots, "report-desktop")
    screenshot(driver, checks, args.screenshots, "report-desktop-confusion", "#figure-confusion-matrix")
    check_console(driver, checks, "report (desktop)")
    driver.quit()
    drivers.remove(driver)

    driver = make_driver(PHONE, phone=True)
    drivers.append(driver)
    driver.get(page)
    figures = check_figures(driver, checks, "report (phone)", "figure", expected)
    check_phone_layout(driver, checks, "report (phone)")
    # Readable at phone width: the axis labels (14 px cap height in a 560–640 px figure) stay at least 8 px tall.
    text_heights = driver.execute_script("""
        return Array.from(document.querySelectorAll('#figure-per-digit-accuracy svg text')).map((t) => t.getBoundingClientRect().height);""")
    checks.check(text_heights and min(text_heights) >= 8, "report (phone): the per-digit figure's text is at least 8 px tall",
                 f"smallest {min(text_heights or [0]):.1f} px; figure {figures.get('figure-per-digit-accuracy', [0, 0])[1]:.0f} px wide")
    screenshot(driver, checks, args.screenshots, "report-phone")
    screenshot(driver, checks, args.screenshots, "report-phone-per-digit", "#figure-per-digit-accuracy")
    driver.quit()
    drivers.remove(driver)


# ---------- The studio's Model page ----------

def save_samples(url):
    """A few saved drawings through the API: 1s labelled 1, a 7 labelled 7, and a 1 labelled 7 (a misread)."""
    one = {"width": 280, "height": 280, "strokes": [[[140, 50], [140, 140], [140, 230]]]}
    seven = {"width": 280, "height": 280, "strokes": [[[80, 60], [200, 60], [120, 230]]]}
    ids = []
    for drawing, label in [(one, 1), (one, 1), (one, 1), (seven, 7), (seven, 7), (one, 7)]:
        status, answer = request(url + "api/samples", {**drawing, "label": label})
        if status != 201:
            raise RuntimeError(f"POST /api/samples answered {status}: {answer}")
        ids.append(answer["id"])
    return ids


def wait_ready(driver, timeout=60):
    return until(lambda: driver.execute_script("return document.body.dataset.insights") in ("ready", "error"), timeout)


def open_cell(driver, set_id, truth, predicted):
    cell = driver.find_element("css selector", f'#set-{set_id} g.cell[data-truth="{truth}"][data-predicted="{predicted}"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    expected_title = f"true {truth}, read as {predicted}"
    return until(lambda: expected_title in driver.find_element("id", "examples-title").text
                 and driver.find_element("id", "examples-note").text not in ("", "Loading…"), 30)


def shown_examples(driver):
    return driver.execute_script("""
        const list = document.getElementById('examples-list');
        return [Number(list.dataset.total), Array.from(list.querySelectorAll('img')).map((img) => [img.naturalWidth, img.complete])];""")


def model_page_test(args, checks, workdir, drivers):
    server = StudioServer(args.digits, args.model, os.path.join(workdir, "studio.sqlite"), args.data,
                          extra=["--steps", str(args.steps)])
    try:
        saved = save_samples(server.url)
        checks.check(len(saved) == 6, "saved 6 samples through POST /api/samples", f"ids {saved}")
        driver = make_driver(DESKTOP)
        drivers.append(driver)
        driver.get(server.url)
        link = until(lambda: driver.find_element("css selector", 'nav.pages a[href="model"]'), 5)
        checks.check(link, "the Draw page links to the Model page")
        link.click()
        checks.check(until(lambda: driver.current_url.endswith("/model"), 10), "the link opens /model", driver.current_url)
        state = wait_ready(driver)
        checks.check(driver.execute_script("return document.body.dataset.insights") == "ready",
                     "Model page: the figures loaded", f"state {state!r}, error {driver.find_element('id', 'insights-error').text!r}")
        status, model = request(server.url + "api/model")
        checks.check(driver.find_element("id", "insights-version").text == model["version"],
                     "Model page: the version shown is GET /api/model's", model["version"])

        for set_id in ("samples", "mnist"):
            check_figures(driver, checks, f"Model page ({set_id})", f"#set-{set_id} figure",
                          ["per-digit-accuracy", "confusion-matrix", "predictions"])
            cells = driver.execute_script("return document.querySelectorAll(arguments[0]).length", f"#set-{set_id} g.cell")
            checks.check(cells == 100, f"Model page ({set_id}): the confusion matrix has 100 clickable cells", f"{cells}")
        counted = driver.execute_script("""
            return Array.from(document.querySelectorAll('#set-samples g.cell')).reduce((sum, cell) => sum + Number(cell.dataset.count), 0);""")
        checks.check(counted == len(saved), "your handwriting: the confusion counts add up to the saved samples", f"{counted}")
        headline = driver.find_element("css selector", "#set-mnist .set-accuracy").text
        checks.check(re.fullmatch(r"\d+\.\d\d%", headline), "MNIST test: the accuracy headline is shown", headline)
        check_figures(driver, checks, "Model page (training)", "#curves figure", ["loss", "accuracy", "learning-rate"])
        layer = driver.execute_script("return Array.from(document.querySelectorAll('#first-layer figure')).map((f) => f.dataset.figure)")
        check_figures(driver, checks, "Model page (first layer)", "#first-layer figure", layer or ["first-layer"])
        screenshot(driver, checks, args.screenshots, "model-desktop")

        # Your handwriting: the 1 labelled 7 is a misread cell (true 7); its images are the samples in it.
        cell = driver.execute_script("""
            const cell = Array.from(document.querySelectorAll('#set-samples g.cell'))
              .find((c) => c.dataset.truth === '7' && c.dataset.truth !== c.dataset.predicted && Number(c.dataset.count) > 0);
            return cell ? [cell.dataset.predicted, Number(cell.dataset.count)] : null;""")
        if checks.check(cell, "your handwriting: the 1 saved as a 7 shows in a misread cell of row 7"):
            predicted, count = cell
            checks.check(open_cell(driver, "samples", 7, predicted), f"clicking cell (7, {predicted}) lists its images")
            total, images = shown_examples(driver)
            checks.check(total == count and len(images) == count and all(w == 28 and done for w, done in images),
                         f"cell (7, {predicted}) shows its {count} sample(s) as 28×28 images", f"total {total}, images {images}")
            selected = driver.execute_script("return document.querySelectorAll('#set-samples g.cell.selected').length")
            checks.check(selected == 1, "the clicked cell is marked as selected", f"{selected}")
            screenshot(driver, checks, args.screenshots, "model-examples-samples", "#examples")

        # MNIST test: the most frequent mistake.
        worst = driver.execute_script("""
            const cells = Array.from(document.querySelectorAll('#set-mnist g.cell')).filter((c) => c.dataset.truth !== c.dataset.predicted);
            cells.sort((a, b) => Number(b.dataset.count) - Number(a.dataset.count));
            return cells.length ? [cells[0].dataset.truth, cells[0].dataset.predicted, Number(cells[0].dataset.count)] : null;""")
        if checks.check(worst and worst[2] > 0, "MNIST test: there is a misread cell to open", f"{worst}"):
            truth, predicted, count = worst
            checks.check(open_cell(driver, "mnist", truth, predicted), f"clicking MNIST cell ({truth}, {predicted}) lists its images")
            total, images = until(lambda: (lambda t, i: (t, i) if len(i) == min(t, 60) and all(d for _, d in i) else None)(*shown_examples(driver)), 10) \
                or shown_examples(driver)
            checks.check(total == count and len(images) == min(count, 60) and all(w == 28 for w, _ in images),
                         f"MNIST cell ({truth}, {predicted}) shows min({count}, 60) test images", f"total {total}, {len(images)} shown")
            screenshot(driver, checks, args.screenshots, "model-examples-mnist", "#examples")

        # A retraining run: live curves while it runs, then the page shows the new model.
        button = driver.find_element("id", "live-retrain")
        checks.check(until(lambda: button.is_enabled(), 5), "Model page: Retrain is enabled with saved samples")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        drawn = {"live-loss": 0, "live-accuracy": 0}
        states = set()
        deadline = time.monotonic() + args.training_timeout
        while time.monotonic() < deadline:
            state = driver.find_element("id", "live-state").text
            states.add(state)
            if state == "running":
                for canvas in drawn:
                    drawn[canvas] = max(drawn[canvas], driver.execute_script(DRAWN_PIXELS, canvas))
            if state in ("finished", "failed", "cancelled"):
                break
            time.sleep(0.1)
        checks.check(state == "finished", "Model page: the retraining finished", f"states {sorted(states)}")
        for canvas, pixels in drawn.items():
            checks.check(pixels > 100, f"Model page: #{canvas} drew a live curve while the job ran", f"{pixels} drawn pixels")
        screenshot(driver, checks, args.screenshots, "model-live-training", ".live-training")
        status, job = request(server.url + "api/training")
        result = (job or {}).get("result") or {}
        if result.get("accepted"):
            checks.check(until(lambda: driver.find_element("id", "insights-version").text == result.get("version")
                               and driver.execute_script("return document.body.dataset.insights") == "ready", 60),
                         "Model page: after the run it shows the new version", result.get("version"))
            text = driver.find_element("id", "curves-text").text
            checks.check("retrained in the studio" in text, "the retrained version's curves are those of the retraining", text[:120])
            check_figures(driver, checks, "Model page (retrained curves)", "#curves figure", ["loss", "accuracy", "learning-rate"])
        else:
            checks.note(f"the retrained version was kept aside ({result.get('reason')}); the page keeps the old model")
        check_console(driver, checks, "Model page (desktop)")
        driver.quit()
        drivers.remove(driver)

        driver = make_driver(PHONE, phone=True)
        drivers.append(driver)
        driver.get(server.url + "model")
        wait_ready(driver)
        for set_id in ("samples", "mnist"):
            check_figures(driver, checks, f"Model page, phone ({set_id})", f"#set-{set_id} figure",
                          ["per-digit-accuracy", "confusion-matrix"])
        check_phone_layout(driver, checks, "Model page (phone)")
        screenshot(driver, checks, args.screenshots, "model-phone")
        screenshot(driver, checks, args.screenshots, "model-phone-confusion", "#set-mnist [data-section='confusion']")
        check_console(driver, checks, "Model page (phone)")
        driver.quit()
        drivers.remove(driver)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", required=True, help="a trained model file")
    parser.add_argument("--data", default=os.environ.get("DIGITS_DATA"), help="MNIST directory (default $DIGITS_DATA)")
    parser.add_argument("--screenshots", default="runs/figure-screenshots")
    parser.add_argument("--steps", type=int, default=60, help="steps of the retraining run (default 60)")
    parser.add_argument("--training-timeout", type=float, default=120)
    parser.add_argument("--time-limit", type=int, default=300, help="stop everything after this many seconds")
    args = parser.parse_args()
    run = BrowserRun("figures_browser_test.py", args, "digits-figures-test-")

    def body(run):
        for name, part in [("the report", report_test), ("the Model page", model_page_test)]:
            try:
                part(args, run.checks, run.workdir, run.drivers)
            except Watchdog:
                raise
            except Exception as error:  # noqa: BLE001 — reported as a failed check, then the next part runs
                run.checks.check(False, f"{name} test ran to the end", f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")
                traceback.print_exc()

    return run.run(body)

if __name__ == "__main__":
    sys.exit(main())
