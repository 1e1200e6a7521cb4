"""Start, stop and talk to a `digits serve` process from Python test scripts (standard library only)."""
import json, os, re, subprocess, time, urllib.error, urllib.request


def request(url, body=None, method=None, timeout=10, token=None):
    """(status, parsed JSON or text) for a request; `body` is sent as JSON."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data else {}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(url, data=data, method=method or ("POST" if data else "GET"), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


class StudioServer:
    """`digits serve --port 0` on a database; `url` is known once it printed it.

    `port`: listen on this port instead of a free one (e.g. to restart a server where a page expects it)."""

    def __init__(self, digits, model, database, data=None, extra=(), timeout=60, port=0):
        command = [digits, "serve", "--model", model, "--database", database, "--port", str(port), *extra]
        if data:
            command += ["--data", data]
        started = time.monotonic()
        self.log_path = database + f".{os.getpid()}.{int(started * 1000)}.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.url = None
        while time.monotonic() - started < timeout:
            line = self.process.stdout.readline()
            if not line:
                break
            match = re.search(r"digits studio: (http://\S+)", line)
            if match:
                self.url = match.group(1).split("?")[0]
                break
        if not self.url:
            self.process.kill()
            raise RuntimeError(f"the studio did not start: {open(self.log_path).read()}")
        # Time to the first prediction answer, from launch.
        request(self.url + "api/predict", {"width": 28, "height": 28, "strokes": [[[14, 4], [14, 24]]]})
        self.start_seconds = time.monotonic() - started

    def kill(self):
        self.process.kill()  # SIGKILL
        self.process.wait()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
