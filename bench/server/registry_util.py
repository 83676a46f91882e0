#!/usr/bin/python3
"""Helpers for compare.sh (stdlib only): talk to a running SchemaGuard.

  registry_util.py URL put-config [SUBJECT] LEVEL
  registry_util.py URL register SUBJECT NAME            prints the response body
  registry_util.py URL fill SUBJECT COUNT [THREADS]      registers COUNT distinct schemas
  registry_util.py URL get PATH BODY_FILE                saves the exact body, prints Content-Type
  registry_util.py URL body NAME FILE                    writes the register body of NAME to FILE
  registry_util.py URL snapshot ROUTE FILE               saves the route's server-side histogram
  registry_util.py URL report BEFORE AFTER               "count mean_us p50_us p99_us" in between
"""

import http.client
import json
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests",
                                "server"))
from sgserver import JSON_TYPE, record_schema  # noqa: E402


def connect(url):
    parsed = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)


def call(conn, method, path, body=None):
    headers = {}
    if body is not None:
        headers["Content-Type"] = JSON_TYPE
        body = json.dumps(body).encode()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit("%s %s: %d %s" % (method, path, response.status, data.decode()))
    return response, data


def schema(name):
    return record_schema(name, field="id")


def fill(url, subject, count, threads):
    counter = iter(range(count))
    lock = threading.Lock()

    def worker():
        conn = connect(url)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            call(conn, "POST", "/subjects/%s/versions" % subject,
                 {"schema": schema("Fill_%s_%d" % (subject.replace("-", "_"), n))})

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def snapshot(url, route, path):
    """Saves the compatibility-request histogram of `route` (sum, count, cumulative buckets)."""
    _, data = call(connect(url), "GET", "/metrics")
    name = "schemaguard_compatibility_request_duration_seconds"
    label = 'route="%s"' % route
    histogram = {"sum": 0.0, "count": 0, "buckets": {}}
    for line in data.decode().splitlines():
        if not line.startswith(name) or label not in line:
            continue
        value = float(line.rsplit(" ", 1)[1])
        if line.startswith(name + "_sum"):
            histogram["sum"] = value
        elif line.startswith(name + "_count"):
            histogram["count"] = int(value)
        elif line.startswith(name + "_bucket"):
            histogram["buckets"][line.split('le="', 1)[1].split('"', 1)[0]] = int(value)
    with open(path, "w") as f:
        json.dump(histogram, f)


def report(before_path, after_path):
    """The requests observed between two snapshots: count, mean and the bucket bounds that
    hold the median and the 99th percentile (upper bounds: the histogram has no finer data)."""
    with open(before_path) as f:
        before = json.load(f)
    with open(after_path) as f:
        after = json.load(f)
    count = after["count"] - before["count"]
    if count <= 0:
        print("0 nan nan nan")
        return
    mean_us = (after["sum"] - before["sum"]) / count * 1e6
    bounds = sorted((float(le), le) for le in after["buckets"])

    def quantile_bound(q):
        for value, le in bounds:
            if after["buckets"][le] - before["buckets"].get(le, 0) >= q * count:
                return value * 1e6
        return float("inf")

    print(count, "%.1f" % mean_us, "%g" % quantile_bound(0.5), "%g" % quantile_bound(0.99))


def main():
    url, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    conn = connect(url)
    if command == "put-config":
        path = "/config/%s" % args[0] if len(args) == 2 else "/config"
        call(conn, "PUT", path, {"compatibility": args[-1]})
    elif command == "register":
        _, data = call(conn, "POST", "/subjects/%s/versions" % args[0], {"schema": schema(args[1])})
        print(data.decode())
    elif command == "fill":
        fill(url, args[0], int(args[1]), int(args[2]) if len(args) > 2 else 8)
    elif command == "get":
        response, data = call(conn, "GET", args[0])
        with open(args[1], "wb") as f:
            f.write(data)
        print(response.getheader("Content-Type"))
    elif command == "body":
        with open(args[1], "w") as f:
            json.dump({"schema": schema(args[0])}, f)
    elif command == "snapshot":
        snapshot(url, args[0], args[1])
    elif command == "report":
        report(args[0], args[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
