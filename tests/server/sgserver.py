"""Starts and stops `schemaguard serve` for the tests in this directory (stdlib only)."""

import http.client
import json
import os
import signal
import subprocess
import time

JSON_TYPE = "application/vnd.schemaregistry.v1+json"


class Server:
    """One `schemaguard serve` process on a free loopback port.

    It runs with this process's environment less any SCHEMAGUARD_* setting (so that a developer's
    own cannot change what a test sees), plus `env`. Its stderr (the JSON log) goes to
    `<work>/server-<n>.log`; `log()` reads it back.
    """

    count = 0

    def __init__(self, binary, work, data_dir, extra_args=(), env=None, port_file=True):
        Server.count += 1
        self.binary = binary
        self.work = work
        self.data_dir = data_dir
        self.log_path = os.path.join(work, "server-%d.log" % Server.count)
        self.port_path = os.path.join(work, "port-%d" % Server.count)
        args = [binary, "serve", "--data-dir", data_dir]
        if port_file:
            args += ["--listen", "127.0.0.1:0", "--port-file", self.port_path]
        args += list(extra_args)
        self.args = args
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SCHEMAGUARD_")}
        self.env.update(env or {})
        self.process = None
        self.port = None

    def start(self, timeout=30):
        """Starts the server and waits for its port file; raises if it exits first."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.args, stdout=log, stderr=log, env=self.env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(self.port_path):
                with open(self.port_path) as f:
                    self.port = int(f.read().strip())
                return self
            if self.process.poll() is not None:
                raise RuntimeError("server exited with %d before listening:\n%s"
                                   % (self.process.returncode, self.log()))
            time.sleep(0.02)
        self.kill()
        raise RuntimeError("server wrote no port file in %d s:\n%s" % (timeout, self.log()))

    def run(self, timeout=30):
        """Runs a server that is expected to exit by itself; returns (status, log)."""
        with open(self.log_path, "wb") as log:
            status = subprocess.run(self.args, stdout=log, stderr=log, env=self.env,
                                    timeout=timeout).returncode
        return status, self.log()

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends `sig` and returns the exit status (negative: killed by a signal)."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise RuntimeError("server ignored signal %d for %d s:\n%s" % (sig, timeout, self.log()))

    def kill(self):
        """SIGKILL, as a crash."""
        self.process.kill()
        return self.process.wait()

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_lines(self):
        """The JSON objects the server logged (non-JSON lines are skipped)."""
        lines = []
        for line in self.log().splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                pass
        return lines

    def logged(self, msg):
        """The logged JSON objects whose "msg" is `msg`."""
        return [line for line in self.log_lines() if line.get("msg") == msg]

    def connection(self, timeout=30):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, conn=None):
        """One request; returns (status, parsed JSON or text body)."""
        own = conn is None
        conn = conn or self.connection()
        try:
            return request(conn, method, path, body)
        finally:
            if own:
                conn.close()


def request(conn, method, path, body=None):
    headers = {"Accept": JSON_TYPE}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = JSON_TYPE
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    content_type = response.getheader("Content-Type", "")
    if "json" in content_type:
        return response.status, json.loads(raw)
    return response.status, raw.decode()


def record_schema(name, field="f"):
    """A distinct Avro record schema per `name`, as a compact JSON string."""
    return json.dumps({"type": "record", "name": name,
                       "fields": [{"name": field, "type": "string"}]}, separators=(",", ":"))
