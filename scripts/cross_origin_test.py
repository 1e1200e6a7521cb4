#!/usr/bin/env python3
"""Another web page cannot write to the studio, in a real browser (headless Chromium).

The studio runs at http://127.0.0.1:PORT. A second page, served from http://localhost:OTHER (another origin),
tries every writing endpoint the ways a page can without asking: fetch with mode "no-cors" and a text/plain
body, fetch with a JSON body (which needs CORS, so it is refused before or at the server), an HTML form
POST, and an <img> pointing at the expensive GET endpoints. Afterwards the studio must hold no sample, have
started no retraining and still answer its own API; a request whose Host names another site (DNS
rebinding) gets 421. The studio's own page keeps drawing, saving and retraining: scripts/browser_test.py.

Usage: cross_origin_test.py --digits BIN --model FILE [--data DIR]
"""
import argparse
import http.server
import os
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser_test import make_driver  # noqa: E402
from studio_server import StudioServer, request  # noqa: E402

ATTACK = """<!DOCTYPE html><html><body><h1>another site</h1>
<form id="form" method="POST" action="STUDIO/api/samples" enctype="text/plain" target="sink">
<input name='{"width":280,"height":280,"strokes":[[[140,50],[140,230]]],"label":1,"x":"' value='"}'></form>
<iframe name="sink"></iframe>
<img src="STUDIO/api/model/insights"><img src="STUDIO/api/model/examples?set=mnist&truth=1&predicted=7">
<script>
const studio = "STUDIO";
const drawing = JSON.stringify({width: 280, height: 280, strokes: [[[140, 50], [140, 230]]], label: 1});
window.results = [];
async function attempt(name, url, options) {
  try { const r = await fetch(url, options); window.results.push(name + ": " + r.type + " " + r.status); }
  catch (e) { window.results.push(name + ": refused (" + e.name + ")"); }
}
(async () => {
  const newNetwork = JSON.stringify({kind: "new", preset: "mlp", epochs: 1});
  const useV1 = JSON.stringify({version: "v1"});
  for (const [path, method, body] of [["/api/samples", "POST", drawing], ["/api/training", "POST", drawing],
                                      ["/api/training", "POST", newNetwork], ["/api/model/reset", "POST", drawing],
                                      ["/api/model/current", "POST", useV1], ["/api/model/versions/v1", "DELETE"],
                                      ["/api/samples/1", "DELETE"], ["/api/training", "DELETE"]]) {
    await attempt(method + " " + path + " no-cors text/plain", studio + path,
                  {method, mode: "no-cors", headers: {"Content-Type": "text/plain"}, body});
    await attempt(method + " " + path + " cors json", studio + path,
                  {method, headers: {"Content-Type": "application/json"}, body});
  }
  await attempt("GET insights no-cors", studio + "/api/model/insights", {mode: "no-cors"});
  await attempt("GET compare no-cors", studio + "/api/model/compare?a=base&b=v1", {mode: "no-cors"});
  document.getElementById("form").submit();
  window.done = true;
})();
</script></body></html>"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def raw_status(url, host):
    """The status of GET url sent with the given Host header (a rebinding site's name)."""
    address = url.split("//", 1)[1].split("/", 1)[0]
    name, port = address.rsplit(":", 1)
    with socket.create_connection((name, int(port)), timeout=10) as connection:
        connection.sendall(f"GET /api/samples HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        return int(connection.recv(200).split(b" ", 2)[1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", default=os.environ.get("DIGITS_DATA"))
    args = parser.parse_args()
    failures = []

    def check(ok, what, detail=""):
        print(("ok: " if ok else "FAILED: ") + what + ("" if ok else f" ({detail})"))
        if not ok:
            failures.append(what)

    with tempfile.TemporaryDirectory() as directory:
        server = StudioServer(args.digits, args.model, os.path.join(directory, "studio.sqlite"), data=args.data)
        studio = server.url.rstrip("/")
        page_directory = os.path.join(directory, "site")
        os.makedirs(page_directory)
        with open(os.path.join(page_directory, "index.html"), "w") as page:
            page.write(ATTACK.replace("STUDIO", studio))
        other_port = free_port()
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=page_directory, **k)  # noqa: E731
        site = http.server.ThreadingHTTPServer(("127.0.0.1", other_port), handler)
        threading.Thread(target=site.serve_forever, daemon=True).start()
        # A version for the other page to try to make current or delete: a new network trained here first.
        status, job = request(server.url + "api/training", {"kind": "new", "preset": "mlp", "steps": 20})
        check(status == 202, "a new network (v1) starts training", job)
        deadline = time.time() + 60
        while time.time() < deadline and job.get("state") == "running":
            time.sleep(0.1)
            _, job = request(server.url + "api/training")
        check(job.get("state") == "finished" and (job.get("result") or {}).get("version") == "v1", "v1 was trained", job.get("state"))
        driver = make_driver((800, 600))
        try:
            driver.get(f"http://localhost:{other_port}/index.html")
            deadline = time.time() + 20
            while time.time() < deadline and not driver.execute_script("return window.done === true"):
                time.sleep(0.2)
            time.sleep(1.5)  # the form's POST and the images
            for line in driver.execute_script("return window.results"):
                print("   the other page tried " + line)
        finally:
            driver.quit()
            site.shutdown()

        status, samples = request(server.url + "api/samples")
        check(status == 200 and samples["total"] == 0, "no sample was stored by the other page", f"{samples['total']} samples")
        status, job = request(server.url + "api/training")
        check(job.get("state") == "finished" and (job.get("result") or {}).get("version") == "v1",
              "no training job was started or cancelled by the other page", job.get("state"))
        status, model = request(server.url + "api/model")
        check(status == 200 and model["version"] == "base", "the studio still answers; the model is the base one", model)
        check([v["id"] for v in model["versions"]] == ["base", "v1"], "v1 was neither deleted nor made current", model["versions"])
        check(raw_status(server.url, "attacker.example:80") == 421, "a foreign Host name (DNS rebinding) gets 421")
        check(raw_status(server.url, f"localhost:{studio.rsplit(':', 1)[1]}") == 200, "the studio's own Host name is served")
        # The same writes from a client that is not a browser (no Origin): allowed, as for curl.
        status, saved = request(server.url + "api/samples", {"width": 280, "height": 280, "strokes": [[[140, 50], [140, 230]]], "label": 1})
        check(status == 201, "a client without Origin (like curl) still saves a sample", saved)
        server.stop()
    if failures:
        sys.exit(f"{len(failures)} checks failed: {failures}")
    print("all cross-origin checks passed")


if __name__ == "__main__":
    main()
