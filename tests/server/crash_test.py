#!/usr/bin/python3
"""Crash safety: SIGKILL `schemaguard serve` during a burst of concurrent registrations, restart
it on the same data directory, and require every acknowledged registration with the id and
version it was acknowledged with, no id shared by two different schemas, and dense versions.
Three kills per run, each after a different burst length. Stdlib only.

An acknowledgement (a 200 to POST /subjects/{s}/versions) is a promise that the registration is
durable, so the outcome must not depend on when the kill lands: registrations in flight at the
kill may or may not be there afterwards, acknowledged ones must be.

Usage: crash_test.py PATH/TO/schemaguard
"""

import http.client
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sgserver import Server, record_schema, request

THREADS = 16
SUBJECTS = 4
BURSTS = (1.0, 1.5, 2.0)  # seconds of registrations before each SIGKILL
VERIFY_THREADS = 8


def burst(server, round_number, seconds):
    """Registers distinct schemas from THREADS threads until the server dies (killed after
    `seconds`). Returns the acknowledged registrations: (subject, name, id, version)."""
    acked = []
    failures = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS + 1)

    def client(thread):
        conn = server.connection(timeout=30)
        mine = []
        start.wait()
        n = 0
        while True:
            name = "R%d_T%d_N%d" % (round_number, thread, n)
            subject = "crash-%d" % ((thread + n) % SUBJECTS)
            try:
                status, body = request(conn, "POST", "/subjects/%s/versions" % subject,
                                       {"schema": record_schema(name)})
            except (OSError, http.client.HTTPException):
                break  # the server is gone: this registration's outcome is unknown
            if status != 200:
                mine_failure = "%s -> %s: %d %s" % (name, subject, status, body)
                with lock:
                    failures.append(mine_failure)
                break
            mine.append((subject, name, body["id"], body["version"]))
            n += 1
        conn.close()
        with lock:
            acked.extend(mine)

    threads = [threading.Thread(target=client, args=(t,)) for t in range(THREADS)]
    for t in threads:
        t.start()
    start.wait()
    time.sleep(seconds)
    server.kill()
    for t in threads:
        t.join(60)
        if t.is_alive():
            raise AssertionError("a client thread hung after the kill")
    if failures:
        raise AssertionError("registrations failed before the kill:\n" + "\n".join(failures[:10]))
    return acked


def get_all(server, paths):
    """GETs every path from VERIFY_THREADS threads, each on a keep-alive connection of its own;
    returns the (status, body) answers in the order of `paths`."""
    local = threading.local()
    connections = []

    def get(path):
        if not hasattr(local, "conn"):
            local.conn = server.connection()
            connections.append(local.conn)
        return request(local.conn, "GET", path)

    try:
        with ThreadPoolExecutor(VERIFY_THREADS) as pool:
            return list(pool.map(get, paths))
    finally:
        for conn in connections:
            conn.close()


def read_registry(server):
    """Every (subject, version) -> (id, record name), and the versions listed per subject."""
    status, subjects = server.request("GET", "/subjects")
    assert status == 200, subjects
    versions = {}
    for subject in subjects:
        status, listed = server.request("GET", "/subjects/%s/versions" % subject)
        assert status == 200, listed
        versions[subject] = listed
    keys = [(s, v) for s, vs in versions.items() for v in vs]
    paths = ["/subjects/%s/versions/%d" % key for key in keys]
    entries = {}
    for key, (status, body) in zip(keys, get_all(server, paths)):
        assert status == 200, (key, status, body)
        entries[key] = (body["id"], json.loads(body["schema"])["name"])
    return versions, entries


def check_ids(server, acked):
    """GET /schemas/ids/{id} answers each acknowledged schema."""
    problems = []
    answers = get_all(server, ["/schemas/ids/%d" % schema_id for _, _, schema_id, _ in acked])
    for (_, name, schema_id, _), (status, body) in zip(acked, answers):
        if status != 200:
            problems.append("id %d (%s): %d %s" % (schema_id, name, status, body))
            continue
        found = json.loads(body["schema"])["name"]
        if found != name:
            problems.append("id %d is %s, acknowledged for %s" % (schema_id, found, name))
    return problems


def verify(server, acked):
    problems = []
    versions, entries = read_registry(server)
    for subject, listed in sorted(versions.items()):
        if listed != list(range(1, len(listed) + 1)):
            problems.append("%s: versions not dense: %s" % (subject, listed))
    # Every schema is distinct, so no two (subject, version) may share an id, nor a name.
    by_id = {}
    by_name = {}
    for key, (schema_id, name) in entries.items():
        if schema_id in by_id and by_id[schema_id][1] != name:
            problems.append("id %d used by %s and %s" % (schema_id, by_id[schema_id], (key, name)))
        by_id.setdefault(schema_id, (key, name))
        if name in by_name:
            problems.append("%s registered twice: %s and %s" % (name, by_name[name], key))
        by_name[name] = key
    for subject, name, schema_id, version in acked:
        found = entries.get((subject, version))
        if found != (schema_id, name):
            problems.append("acknowledged %s as %s v%d id %d; after restart: %s"
                            % (name, subject, version, schema_id, found))
    problems += check_ids(server, acked)
    return problems, len(entries)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: crash_test.py PATH/TO/schemaguard")
    binary = os.path.realpath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="sg-crash-test-")
    data = os.path.join(work, "data")
    args = ["--log-level", "warn"]
    server = None
    started = time.monotonic()
    try:
        server = Server(binary, work, data, args).start()
        status, body = server.request("PUT", "/config", {"compatibility": "NONE"})
        assert status == 200, body
        acked = []
        for round_number, seconds in enumerate(BURSTS):
            new = burst(server, round_number, seconds)
            assert new, "round %d: no registration was acknowledged in %.1f s:\n%s" % (
                round_number, seconds, server.log())
            acked += new
            server = Server(binary, work, data, args).start()
            problems, total = verify(server, acked)
            print("round %d: SIGKILL after %.1f s, %d registrations acknowledged (%d in all); "
                  "after restart %d versions, %d problems"
                  % (round_number, seconds, len(new), len(acked), total, len(problems)),
                  flush=True)
            if problems:
                print("\n".join(problems[:50]))
                print("--- server log ---\n" + server.log())
                return 1
        status = server.stop(signal.SIGTERM)
        if status != 0:
            print("graceful stop exited with %d:\n%s" % (status, server.log()))
            return 1
        print("PASS in %.1f s" % (time.monotonic() - started))
        return 0
    finally:
        if server is not None and server.alive():
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
