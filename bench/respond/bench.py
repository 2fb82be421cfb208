#!/usr/bin/env python3
"""Figures for the response workflow (issue 8), each against a baseline
measured in the same run on the same input:

1. OCR throughput on 1024x768 images: `warden scan-image -j 1` (images/s
   per core) against plain `tesseract` on the same images, one after
   another (the OCR engine alone: warden's own overhead is the ratio).
2. SQS events/s through `warden run` (detection, store, triage) from a
   moto queue, against a bare boto3 receive+delete consumer of the same
   queue (the stand-in's own ceiling).
3. The Lambda package: the stripped release binary and its zip, and the
   handler's cold start (process start → ready → first response) against
   a local Runtime API stand-in.

Usage: python3 bench/respond/bench.py [target/release/warden] [--images N] [--events N]
"""
import argparse
import gzip
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/live"))
import test_live as live  # noqa: E402  (moto and event helpers)


def render_pages(out, n):
    """n 1024x768 pages of mixed text, rendered like the OCR tests' images."""
    from PIL import Image, ImageDraw, ImageFont
    f = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
    paths = []
    for i in range(n):
        img = Image.new("RGB", (1024, 768), "white")
        d = ImageDraw.Draw(img)
        lines = [f"Ticket #{4000 + i}: customer account review", f"Contact: user{i}@example.com",
                 f"Phone: +1 415 555 {1000 + i:04d}", "Notes: the card on file was declined twice,",
                 "customer asked us to call back after the weekend.", f"Reference {i * 7919 % 100000:05d}"]
        y = 40
        for ln in lines[: 3 + i % 4]:
            d.text((40, y), ln, fill="black", font=f)
            y += 60
        p = out / f"page-{i:03d}.png"
        img.save(p)
        paths.append(p)
    return paths


def ocr(warden, n):
    d = Path(tempfile.mkdtemp(prefix="warden-bench-ocr-"))
    pages = render_pages(d, n)
    langs = "eng+kor+jpn"
    t = time.perf_counter()
    for p in pages:
        subprocess.run(["tesseract", str(p), "stdout", "-l", langs, "tsv"], capture_output=True,
                       env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=True)
    base = time.perf_counter() - t
    res = {}
    for j in (1, 2):
        t = time.perf_counter()
        r = subprocess.run([warden, "scan-image", "-j", str(j), "-f", "json", *map(str, pages)], capture_output=True)
        res[j] = time.perf_counter() - t
        assert r.returncode in (0, 1), r.stderr
    shutil.rmtree(d)
    print(f"\n## OCR, {n} rendered 1024x768 pages, languages {langs}")
    print(f"  baseline: tesseract alone, one after another: {base:.2f} s = {n / base:.2f} images/s")
    print(f"  warden scan-image -j 1: {res[1]:.2f} s = {n / res[1]:.2f} images/s per core "
          f"({(n / res[1]) / (n / base):.2f}x the baseline)")
    print(f"  warden scan-image -j 2: {res[2]:.2f} s = {n / res[2]:.2f} images/s on 2 cores "
          f"({(n / res[2]) / (n / base):.2f}x the baseline)")


def sqs(warden, n):
    import boto3
    proc, url = live.start_moto()
    env = live.env_for(url)
    try:
        kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
        q = boto3.client("sqs", **kw)

        def fill(name):
            u = q.create_queue(QueueName=name)["QueueUrl"]
            for b in range(0, n, 10):
                q.send_message_batch(QueueUrl=u, Entries=[
                    {"Id": str(i), "MessageBody": json.dumps({
                        "version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam",
                        "detail": live.mgmt_event("ListUsers" if i % 50 else "StopLogging", b + i, user=f"u{(b + i) % 37}")})}
                    for i in range(min(10, n - b))])
            return u

        base_q = fill("bench-base")
        t = time.perf_counter()
        got = 0
        while True:
            m = q.receive_message(QueueUrl=base_q, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
            if not m:
                break
            q.delete_message_batch(QueueUrl=base_q, Entries=[{"Id": str(i), "ReceiptHandle": x["ReceiptHandle"]} for i, x in enumerate(m)])
            got += len(m)
        base = time.perf_counter() - t
        warden_q = fill("bench-warden")
        store = tempfile.mkdtemp(prefix="warden-bench-store-")
        t = time.perf_counter()
        r = subprocess.run([warden, "run", "--sqs", warden_q, "--once", "--wait", "0s", "--store", store, "--no-images"],
                           env=env, capture_output=True, text=True)
        took = time.perf_counter() - t
        assert r.returncode == 0, r.stderr
        line = [ln for ln in r.stderr.splitlines() if "run:" in ln and "messages" in ln][-1]
        shutil.rmtree(store)
        print(f"\n## SQS through warden run (moto on 127.0.0.1), {n} EventBridge CloudTrail events")
        print(f"  baseline: boto3 receive + delete_batch only: {got} in {base:.2f} s = {got / base:.0f} messages/s")
        print(f"  warden run --once (detect, store, triage, delete): {took:.2f} s = {n / took:.0f} events/s "
              f"({(n / took) / (got / base):.2f}x the baseline)")
        print(f"  {line.strip()}")
        # The same pipeline from S3 objects (CloudTrail files) against the
        # same files read locally by `warden ingest` (the file path).
        s3 = boto3.client("s3", **kw)
        s3.create_bucket(Bucket="bench-trail")
        files, per = 20, 1000
        local = Path(tempfile.mkdtemp(prefix="warden-bench-files-"))
        for f in range(files):
            recs = [live.mgmt_event("ListUsers" if i % 97 else "StopLogging", f * per + i, user=f"u{i % 41}",
                                    when=f"2026-11-20T{i % 24:02d}:{i % 60:02d}:00Z") for i in range(per)]
            body = gzip.compress(json.dumps({"Records": recs}).encode())
            (local / f"f{f:02d}.json.gz").write_bytes(body)
            s3.put_object(Bucket="bench-trail", Key=f"AWSLogs/{f:02d}.json.gz", Body=body)
        st1, st2 = tempfile.mkdtemp(), tempfile.mkdtemp()
        t = time.perf_counter()
        subprocess.run([warden, "ingest", "--store", st1, str(local)], env=env, capture_output=True, check=True)
        base = time.perf_counter() - t
        t = time.perf_counter()
        r = subprocess.run([warden, "run", "--s3", "s3://bench-trail/AWSLogs/", "--once", "--store", st2, "--no-images"],
                           env=env, capture_output=True, text=True)
        took = time.perf_counter() - t
        assert r.returncode == 0, r.stderr
        n_ev = files * per
        print(f"\n## S3 prefix through warden run, {files} CloudTrail files x {per} events (moto S3)")
        print(f"  baseline: warden ingest on the same files on local disk: {base:.2f} s = {n_ev / base:.0f} events/s")
        print(f"  warden run --s3 --once: {took:.2f} s = {n_ev / took:.0f} events/s ({(n_ev / took) / (n_ev / base):.2f}x the baseline)")
        for d in (st1, st2, local):
            shutil.rmtree(d)
    finally:
        proc.kill()


class Runtime(http.server.BaseHTTPRequestHandler):
    events = []
    log = []

    def log_message(self, *a):
        pass

    def do_GET(self):
        Runtime.log.append(("next", time.perf_counter()))
        if not Runtime.events:
            time.sleep(30)
            return
        body = json.dumps(Runtime.events.pop(0)).encode()
        self.send_response(200)
        self.send_header("lambda-runtime-aws-request-id", f"r{len(Runtime.log)}")
        self.send_header("lambda-runtime-deadline-ms", str(int(time.time() * 1000) + 60000))
        self.send_header("lambda-runtime-invoked-function-arn", "arn:aws:lambda:us-east-1:123456789012:function:warden")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("content-length", 0))
        self.rfile.read(n)
        Runtime.log.append(("response", time.perf_counter()))
        self.send_response(202)
        self.send_header("content-length", "0")
        self.end_headers()


def lambda_figures(warden, runs=5):
    d = Path(tempfile.mkdtemp(prefix="warden-bench-lambda-"))
    boot = d / "bootstrap"
    shutil.copy(warden, boot)
    subprocess.run(["strip", str(boot)], check=False)
    z = d / "warden-lambda.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as f:
        f.write(boot, "bootstrap")
    print("\n## Lambda package and cold start")
    print(f"  bootstrap (stripped release binary): {boot.stat().st_size / 1e6:.1f} MB; zip: {z.stat().st_size / 1e6:.1f} MB "
          f"(Lambda's limits: 50 MB zipped upload, 250 MB unzipped)")
    event = {"detail-type": "AWS API Call via CloudTrail", "source": "aws.cloudtrail",
             "detail": live.mgmt_event("StopLogging", 1)}
    inits, firsts = [], []
    for _ in range(runs):
        Runtime.events = [event]
        Runtime.log = []
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Runtime)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{srv.server_address[1]}",
                   AWS_LAMBDA_FUNCTION_NAME="warden", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="2048",
                   AWS_LAMBDA_FUNCTION_VERSION="1", AWS_LAMBDA_LOG_STREAM_NAME="s", AWS_LAMBDA_LOG_GROUP_NAME="g",
                   AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x",
                   AWS_EC2_METADATA_DISABLED="true", WARDEN_STORE=str(d / "store"), WARDEN_LOG="error")
        env.pop("WARDEN_CONFIG", None)
        t = time.perf_counter()
        p = subprocess.Popen([str(boot)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = t + 30
        while not any(k == "response" for k, _ in Runtime.log) and time.perf_counter() < deadline:
            time.sleep(0.002)
        p.kill()
        p.wait()
        srv.shutdown()
        nxt = next(at for k, at in Runtime.log if k == "next")
        resp = next(at for k, at in Runtime.log if k == "response")
        inits.append((nxt - t) * 1000)
        firsts.append((resp - t) * 1000)
        shutil.rmtree(d / "store", ignore_errors=True)
    inits.sort()
    firsts.sort()
    print(f"  cold start over {runs} runs (fresh process and store each): init (start → first /next) "
          f"median {inits[runs // 2]:.0f} ms (min {inits[0]:.0f}, max {inits[-1]:.0f}); "
          f"first response median {firsts[runs // 2]:.0f} ms (min {firsts[0]:.0f}, max {firsts[-1]:.0f})")
    shutil.rmtree(d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("warden", nargs="?", default=str(ROOT / "target/release/warden"))
    ap.add_argument("--images", type=int, default=16)
    ap.add_argument("--events", type=int, default=2000)
    a = ap.parse_args()
    warden = str(Path(a.warden).resolve())
    print(f"# warden response-workflow figures ({os.cpu_count()} cores), {warden}")
    ocr(warden, a.images)
    sqs(warden, a.events)
    lambda_figures(warden)


if __name__ == "__main__":
    main()
