#!/usr/bin/env python3
"""Durability test of `digits serve`: kill -9 the server while samples are being saved and while a model is
retraining or training a new network, restart it, and check that every sample acknowledged with 201 is still
there (with its label), that the studio starts normally on the previous model, and that the cut-off job shows as
interrupted with no half-written version.

usage: studio_kill_test.py --digits .build/release/digits --model MODEL --data MNIST_DIR [--rounds 3]
Exit status 0 when every check passed; the checks are printed as they run.
"""
import argparse, os, random, sys, tempfile, threading, time, urllib.error, urllib.request

from studio_server import StudioServer, request


def stroke_sample(label, rng):
    """A random-ish stroke drawing (a slanted bar with a hook) labelled `label`."""
    x0, y0 = rng.uniform(80, 200), rng.uniform(40, 80)
    points = [[round(x0 + t * rng.uniform(-0.3, 0.3), 1), round(y0 + t, 1)] for t in range(0, 160, 8)]
    points = [[min(280, max(0, x)), min(280, max(0, y))] for x, y in points]
    return {"width": 280, "height": 280, "strokes": [points], "label": label}


def save_until_killed(server, acknowledged, errors, stop, seed):
    rng = random.Random(seed)
    while not stop.is_set():
        label = rng.randrange(10)
        try:
            status, answer = request(server.url + "api/samples", stroke_sample(label, rng), timeout=5)
        except (urllib.error.URLError, ConnectionError, OSError):
            continue  # the server is gone or not answering: the request was not acknowledged
        if status == 201:
            acknowledged.append((answer["id"], label))
        else:
            errors.append((status, answer))


def all_samples(server):
    samples, offset = {}, 0
    while True:
        status, page = request(server.url + f"api/samples?limit=1000&offset={offset}")
        assert status == 200, page
        for sample in page["samples"]:
            samples[sample["id"]] = sample["label"]
        offset += len(page["samples"])
        if offset >= page["total"] or not page["samples"]:
            return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", default=".build/release/digits")
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", default=os.environ.get("DIGITS_DATA"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="digits-kill-")
    database = os.path.join(workdir, "studio.sqlite")
    failures = 0
    expected = {}

    for round_number in range(1, args.rounds + 1):
        server = StudioServer(args.digits, args.model, database, args.data)
        present = all_samples(server)
        missing = [i for i in expected if present.get(i) != expected[i]]
        print(f"round {round_number}: restarted in {server.start_seconds:.2f} s with {len(present)} samples; "
              f"{len(missing)} acknowledged samples missing or changed")
        failures += bool(missing)

        acknowledged, errors, stop = [], [], threading.Event()
        threads = [threading.Thread(target=save_until_killed, args=(server, acknowledged, errors, stop, 10 * round_number + i))
                   for i in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(random.uniform(0.8, 1.6))
        server.kill()  # SIGKILL, mid-request
        stop.set()
        for thread in threads:
            thread.join()
        print(f"round {round_number}: killed with -9 after {len(acknowledged)} samples were acknowledged"
              f"{f'; {len(errors)} refused: {errors[:2]}' if errors else ''}")
        failures += bool(errors)
        expected.update(dict(acknowledged))

    # Kill during retraining: the studio must start again on the model it had.
    server = StudioServer(args.digits, args.model, database, args.data)
    _, before = request(server.url + "api/model")
    status, job = request(server.url + "api/training", {"steps": 5000})
    assert status == 202, job
    deadline = time.time() + 60
    while time.time() < deadline:
        _, job = request(server.url + "api/training")
        if job["phase"] == "training" and job["step"] > 0:
            break
        time.sleep(0.05)
    server.kill()
    print(f"retraining killed with -9 at step {job['step']} of {job['steps']} (phase {job['phase']})")
    server = StudioServer(args.digits, args.model, database, args.data)
    _, after = request(server.url + "api/model")
    present = all_samples(server)
    missing = [i for i in expected if present.get(i) != expected[i]]
    same_model = after["version"] == before["version"] and len(after["versions"]) == len(before["versions"])
    print(f"after the crash: studio started in {server.start_seconds:.2f} s, model {after['version']} "
          f"(was {before['version']}), {len(present)} samples, {len(missing)} missing")
    _, last_job = request(server.url + "api/training")
    interrupted = last_job.get("state") == "interrupted" and last_job.get("kind") == "finetune"
    print(f"after the crash: GET /api/training says {last_job.get('state')!r} ({last_job.get('kind')})")
    failures += (not same_model) + bool(missing) + (not interrupted)

    # Kill while a new network trains from scratch (the Train page's job), then while it is being saved.
    for moment in ("training", "saving"):
        _, before = request(server.url + "api/model")
        status, job = request(server.url + "api/training",
                              {"kind": "new", "preset": "mlp", "epochs": 3 if moment == "training" else 1, "batchSize": 16})
        assert status == 202, job
        deadline = time.time() + 120
        while time.time() < deadline:
            _, job = request(server.url + "api/training")
            if moment == "training" and job["phase"] == "training" and job["step"] > 0:
                break
            if moment == "saving" and (job["phase"] in ("evaluating", "saving") or job["state"] != "running"):
                break
            time.sleep(0.01)
        server.kill()
        print(f"new network killed with -9 while {moment}: phase {job['phase']}, state {job['state']}, "
              f"step {job['step']} of {job['steps']}")
        server = StudioServer(args.digits, args.model, database, args.data)
        _, after = request(server.url + "api/model")
        _, last_job = request(server.url + "api/training")
        versions_dir = os.path.splitext(database)[0] + "-models"
        files = sorted(os.listdir(versions_dir)) if os.path.isdir(versions_dir) else []
        listed = len(after["versions"]) - 1   # less the base model
        consistent = after["version"] == before["version"] and len([f for f in files if f.endswith(".safetensors")]) == listed
        state_ok = last_job.get("state") in (("interrupted",) if job["state"] == "running" else ("interrupted", "finished"))
        print(f"after the crash: model {after['version']} (was {before['version']}), {listed} versions listed, "
              f"version files {files}, last job {last_job.get('state')!r}")
        failures += (not consistent) + (not state_ok)
    server.stop()

    print(f"{len(expected)} acknowledged samples checked over {args.rounds} kills; "
          + ("all present" if failures == 0 else f"{failures} FAILED checks"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
