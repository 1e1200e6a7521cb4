#!/usr/bin/env python3
"""The Train page in a real browser: train a one-epoch MLP from the page and watch its chart move, check the
epoch table and the result, compare it with the base model, make it current, then draw a digit with it on
the Draw page; the same page at phone width. Headless Chromium through Selenium, on a fresh database.

usage: train_page_test.py --model MODEL [--digits .build/release/digits] [--data MNIST_DIR]
                          [--screenshots runs/train-screenshots] [--time-limit 300]

Prints one line per check ("ok: ..." or "FAIL: ..."); the exit status is 1 when any check failed.
"""
import argparse, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from studio_server import request  # noqa: E402
from browser_test import (DESKTOP, ONE, PHONE, BrowserRun, Page, check_console, run_phase, until)  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


class TrainPage(Page):
    """The Train page: no canvas, no samples list; loaded when the presets and the versions are in."""

    def after_load(self):
        loaded = until(lambda: len(Select(self.el("recipe-preset")).options) > 0
                       and self.driver.find_elements(By.CSS_SELECTOR, "#versions-table tbody tr"), 15)
        self.checks.check(loaded, f"{self.name}: the Train page loaded its presets and versions")

    def set_field(self, element_id, value):
        field = self.el(element_id)
        field.clear()
        field.send_keys(str(value))

    def versions(self):
        return self.driver.execute_script("""
            return Array.from(document.querySelectorAll('#versions-table tbody tr')).map(
                (row) => [row.dataset.version, row.classList.contains('current')]);""")

    def chart(self, element_id):
        return self.driver.execute_script("return document.getElementById(arguments[0]).toDataURL()", element_id)

    def overflow(self):
        return self.driver.execute_script("return [innerWidth, document.documentElement.scrollWidth];")


def desktop_train(page, shots, url, timeout):
    check = page.checks.check
    Select(page.el("recipe-preset")).select_by_value("mlp")
    check(until(lambda: page.el("recipe-architecture").get_attribute("value") == "dense128-relu-dense64-relu-dense10", 5),
          "choosing the mlp preset fills in its architecture")
    check(until(lambda: "109,386 parameters" in page.text("recipe-cost"), 5),
          "the parameter count and operations per image are shown before starting", page.text("recipe-cost"))

    # Validated as you type, with the messages of --architecture.
    page.set_field("recipe-architecture", "dense128-relu-dense")
    check(until(lambda: 'unknown layer "dense"' in page.text("architecture-check"), 5),
          "a mistyped architecture is reported as you type", page.text("architecture-check"))
    check(not page.el("train-start").is_enabled(), "Start is disabled while the architecture is wrong")
    page.set_field("recipe-architecture", "dense128-relu-dense64-relu-dense10")
    check(until(lambda: page.text("architecture-check").startswith("✓") and page.el("train-start").is_enabled(), 5),
          "a good architecture is accepted and Start is enabled", page.text("architecture-check"))

    # One epoch of small batches, so that training lasts long enough to watch.
    page.set_field("recipe-length", 1)
    page.set_field("recipe-batch-size", 4)
    page.set_field("recipe-validation", 2000)
    page.el("train-start").click()
    check(until(lambda: page.text("train-state") == "running", 10), "the job runs", page.text("train-state"))
    pictures, states = set(), set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = page.text("train-state")
        states.add(state)
        if state == "running":
            pictures.add(page.chart("train-loss"))
            numbers = page.text("train-numbers")
            if "images/s" in numbers and "left" in numbers:
                states.add("numbers")
        if state in ("finished", "failed", "cancelled"):
            break
        time.sleep(0.1)
    state = page.text("train-state")
    if not check(state == "finished", f"training finished within {timeout} s", f"state {state!r}, seen {sorted(states)}"):
        return None
    check(len(pictures) >= 2, "the loss chart moved while training", f"{len(pictures)} different pictures")
    check("numbers" in states, "while running: images per second and time left are shown")
    points = int(page.driver.execute_script("return Number(document.body.dataset.chartPoints || 0)"))
    check(points >= 2, "progress events reached the charts", f"{points}")
    rows = page.driver.find_elements(By.CSS_SELECTOR, "#epoch-table tbody tr")
    check(len(rows) == 1 and "%" in rows[0].text, "the epoch table has one row with the validation accuracy",
          rows[0].text if rows else "no rows")
    _, job = request(url + "api/training")
    result = (job or {}).get("result") or {}
    mnist = f"{result.get('mnistAccuracy', 0) * 100:.2f}%"
    check(result.get("kind") == "new" and result.get("version") == "v1", "the job made v1, a new network", str(result.get("version")))
    check(f"v1: {mnist} on MNIST test" in page.text("train-result"), "the result shows MNIST test accuracy", mnist)
    check(page.driver.find_elements(By.CSS_SELECTOR, "#train-result table.confusion tbody tr").__len__() == 10,
          "the result shows the 10×10 confusion matrix")
    check(page.driver.find_elements(By.CSS_SELECTOR, "#train-result .per-digit td").__len__() == 11,
          "the result shows per-digit accuracy")
    check(until(lambda: [v[0] for v in page.versions()] == ["base", "v1"], 5), "the versions table lists base and v1",
          str(page.versions()))
    check(["base", True] in page.versions(), "the base model is still the current one")
    page.screenshot(shots, "desktop-trained", "train-result")
    return result


def desktop_compare_and_use(page, shots, url):
    check = page.checks.check
    page.el("result-compare").click()
    check(until(lambda: page.driver.execute_script("return document.body.dataset.comparison") == "ready", 60),
          "Compare with the current model: the comparison is shown")
    tables = page.driver.find_elements(By.CSS_SELECTOR, "#comparison-body table.confusion")
    check(len(tables) == 3, "three MNIST confusion matrices: base, v1 and their difference", f"{len(tables)}")
    body = page.text("comparison-body")
    check("MNIST test: base" in body and "MNIST test: v1" in body, "per-digit accuracy of both on MNIST test")
    check("read differently" in body, "the disagreements are counted")
    page.screenshot(shots, "desktop-compare", "comparison")

    page.el("result-make-current").click()
    check(until(lambda: ["v1", True] in page.versions(), 10), "Make current: v1 is marked current", str(page.versions()))
    _, model = request(url + "api/model")
    check(model.get("version") == "v1", "GET /api/model says v1 answers", model.get("version"))
    page.screenshot(shots, "desktop-versions", "versions-table")


def desktop_draw(page, shots):
    check = page.checks.check
    check(until(lambda: page.text("model-version") == "v1", 10), "the Draw page reads with v1", page.text("model-version"))
    page.draw_and_check("v1 draws a 1", ONE, expect=1)
    page.screenshot(shots, "desktop-draw-with-v1")


def phone_train(page, shots):
    check = page.checks.check
    width, scroll = page.overflow()
    check(width == PHONE[0] and scroll <= width, "phone: the Train page has no horizontal scrolling",
          f"scrollWidth {scroll}, innerWidth {width}")
    page.screenshot(shots, "phone-train")
    selector = "#versions-table tbody input[type=checkbox]"
    ticks = page.driver.find_elements(By.CSS_SELECTOR, selector)
    check(len(ticks) == 2, "phone: two versions to tick", f"{len(ticks)}")
    for index in range(len(ticks)):
        tick = page.driver.find_elements(By.CSS_SELECTOR, selector)[index]  # the table is redrawn after each tick
        page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", tick)
        tick.click()
    check(until(lambda: page.el("compare-start").is_enabled(), 5), "phone: Compare is enabled with two ticked")
    page.el("compare-start").click()
    check(until(lambda: page.driver.execute_script("return document.body.dataset.comparison") == "ready", 60),
          "phone: the comparison is shown")
    width, scroll = page.overflow()
    check(scroll <= width, "phone: still no horizontal scrolling with the comparison shown",
          f"scrollWidth {scroll}, innerWidth {width}")
    page.screenshot(shots, "phone-compare", "comparison")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", required=True, help="a trained model file (the studio's base model)")
    parser.add_argument("--data", default=os.environ.get("DIGITS_DATA"), help="MNIST directory (default $DIGITS_DATA)")
    parser.add_argument("--screenshots", default="runs/train-screenshots")
    parser.add_argument("--training-timeout", type=float, default=180)
    parser.add_argument("--time-limit", type=int, default=400, help="stop everything after this many seconds")
    args = parser.parse_args()

    run = BrowserRun("train_page_test.py", args, "digits-train-page-test-")

    def body(run):
        checks = run.checks
        server = run.server(args.digits, args.model, os.path.join(run.workdir, "studio.sqlite"), args.data)
        checks.check(True, f"server started at {server.url} on a fresh database")
        driver = run.driver(DESKTOP)
        desktop = TrainPage(driver, checks, "desktop")
        desktop.load(server.url + "train")
        result = run_phase(checks, "training from the page", desktop_train, desktop, args.screenshots, server.url,
                           args.training_timeout)
        if result:
            run_phase(checks, "compare and make current", desktop_compare_and_use, desktop, args.screenshots, server.url)
            draw = Page(driver, checks, "desktop draw")
            draw.load(server.url)
            run_phase(checks, "drawing with the new model", desktop_draw, draw, args.screenshots)
        check_console(desktop)
        run.quit(driver)

        mobile = TrainPage(run.driver(PHONE, phone=True), checks, "phone")
        mobile.load(server.url + "train")
        run_phase(checks, "the phone layout", phone_train, mobile, args.screenshots)
        check_console(mobile)

    return run.run(body)

if __name__ == "__main__":
    sys.exit(main())
