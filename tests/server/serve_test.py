#!/usr/bin/python3
"""`schemaguard serve` as a process: startup, health, metrics, graceful stop and restart,
settings precedence and bad settings. Stdlib only.

Usage: serve_test.py PATH/TO/schemaguard [unittest args]
"""

import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import unittest

from sgserver import Server, record_schema

BINARY = None


class ServeTest(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.mkdtemp(prefix="sg-serve-test-")
        self.data = os.path.join(self.work, "data")
        self.servers = []

    def tearDown(self):
        for server in self.servers:
            if server.alive():
                server.kill()
        shutil.rmtree(self.work, ignore_errors=True)

    def server(self, *args, env=None, port_file=True, data_dir=None):
        server = Server(BINARY, self.work, data_dir or self.data, args, env=env,
                        port_file=port_file)
        self.servers.append(server)
        return server

    def test_serves_stops_gracefully_and_restarts_with_the_same_data(self):
        server = self.server().start()
        listening = server.logged("listening")
        self.assertEqual(len(listening), 1, server.log())
        self.assertEqual(listening[0]["address"], "127.0.0.1:%d" % server.port)
        self.assertEqual(listening[0]["logger"], "schemaguard")

        self.assertEqual(server.request("GET", "/health/live"), (200, {}))
        self.assertEqual(server.request("GET", "/health/ready"), (200, {}))

        schema = record_schema("Order")
        status, body = server.request("POST", "/subjects/orders-value/versions",
                                      {"schema": schema})
        self.assertEqual(status, 200, body)
        schema_id = body["id"]
        status, body = server.request("GET", "/schemas/ids/%d" % schema_id)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body["schema"])["name"], "Order")

        status, metrics = server.request("GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertIn("\nschemaguard_registry_subjects 1\n", metrics)
        self.assertIn("\nschemaguard_registry_schemas 1\n", metrics)
        self.assertIn("\nschemaguard_compatibility_checks_total ", metrics)
        self.assertIn('schemaguard_compatibility_request_duration_seconds_count'
                      '{route="/subjects/{subject}/versions"} 1\n', metrics)
        self.assertIn('schemaguard_http_requests_total{method="POST",'
                      'route="/subjects/{subject}/versions",status="200"} 1\n', metrics)

        self.assertEqual(server.stop(signal.SIGTERM), 0, server.log())
        messages = [l.get("msg") for l in server.log_lines()]
        self.assertIn("stopping", messages)
        self.assertEqual(messages[-1], "stopped")
        # The access log is JSON with request ids.
        access = [l for l in server.logged("request") if l.get("logger") == "schemaguard.http"]
        self.assertTrue(access and all(l.get("request_id") for l in access), server.log())

        again = self.server().start()
        status, body = again.request("GET", "/subjects/orders-value/versions/1")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["id"], schema_id)
        self.assertEqual(json.loads(body["schema"])["name"], "Order")
        status, body = again.request("POST", "/subjects/orders-value/versions", {"schema": schema})
        self.assertEqual((status, body["id"]), (200, schema_id))
        replayed = again.logged("log replayed")
        self.assertEqual(replayed[0]["subjects"], 1, again.log())
        self.assertEqual(again.stop(signal.SIGINT), 0, again.log())

    def test_ready_turns_503_while_stopping(self):
        server = self.server().start()
        # A request whose headers are still arriving when SIGTERM comes is in progress: the
        # server waits for it, and answers it as a stopping server.
        sock = socket.create_connection(("127.0.0.1", server.port))
        try:
            sock.sendall(b"GET /health/ready HTTP/1.1\r\nHost: x\r\n")
            time.sleep(0.2)
            server.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while not server.logged("stopping"):
                self.assertLess(time.monotonic(), deadline, server.log())
                time.sleep(0.02)
            sock.sendall(b"\r\n")
            response = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                response += chunk
        finally:
            sock.close()
        head, _, body = response.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 503"), response)
        self.assertEqual(json.loads(body)["error_code"], 503)
        self.assertEqual(server.stop(), 0, server.log())

    def test_flag_beats_environment_beats_config_file(self):
        config = os.path.join(self.work, "sg.properties")
        with open(config, "w") as f:
            f.write("# settings under test\n"
                    "listen = 127.0.0.1:1\n"          # the flag overrides it
                    "schema.registry.group.id = from-config\n"
                    "schema.compatibility.level = full\n"
                    "log.level = off\n")              # the environment overrides it
        env = {"SCHEMAGUARD_SCHEMA_REGISTRY_GROUP_ID": "from-env",
               "SCHEMAGUARD_LOG_LEVEL": "info",
               "SCHEMAGUARD_LISTEN": "127.0.0.1:2"}
        server = self.server("--config", config, env=env).start()
        # The flag's port 0, not the environment's 2 nor the file's 1 (as root, either would bind).
        self.assertEqual(server.logged("starting")[0]["listen"], "127.0.0.1:0", server.log())
        self.assertNotIn(server.port, (1, 2))
        status, body = server.request("GET", "/v1/metadata/id")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["scope"]["clusters"]["schema-registry-cluster"], "from-env")
        status, body = server.request("GET", "/config")
        self.assertEqual((status, body["compatibilityLevel"]), (200, "FULL"))
        self.assertTrue(server.logged("listening"), server.log())  # info from the environment
        self.assertEqual(server.stop(), 0, server.log())

        # SCHEMAGUARD_CONFIG names the file when --config is absent; the file beats the default.
        server = self.server(env={"SCHEMAGUARD_CONFIG": config}).start()
        status, body = server.request("GET", "/v1/metadata/id")
        self.assertEqual(body["scope"]["clusters"]["schema-registry-cluster"], "from-config")
        self.assertEqual(server.stop(), 0, server.log())
        self.assertEqual(server.log(), "")  # log.level=off from the file

    def test_bad_settings_exit_with_2_and_say_why(self):
        config = os.path.join(self.work, "bad.properties")
        with open(config, "w") as f:
            f.write("listen=127.0.0.1:0\nlisteners=http://0.0.0.0:8081\n")
        status, log = self.server("--config", config).run()
        self.assertEqual(status, 2, log)
        self.assertIn("bad.properties:2: unknown setting 'listeners'", log)

        status, log = self.server(env={"SCHEMAGUARD_IO_THREADS": "many"}).run()
        self.assertEqual(status, 2, log)
        self.assertIn("invalid io.threads 'many' (from SCHEMAGUARD_IO_THREADS)", log)

        status, log = self.server("--schema-compatibility-level", "sideways").run()
        self.assertEqual(status, 2, log)
        self.assertIn("invalid schema.compatibility.level 'sideways'", log)

        status, log = self.server("--no-such-flag").run()
        self.assertEqual(status, 2, log)
        self.assertIn("--no-such-flag", log)

        status, log = self.server("--config", os.path.join(self.work, "missing")).run()
        self.assertEqual(status, 2, log)
        self.assertIn("cannot read config file", log)

    def test_cannot_start_exits_with_1_and_says_why(self):
        taken = socket.socket()
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        try:
            port = taken.getsockname()[1]
            status, log = self.server("--listen", "127.0.0.1:%d" % port, port_file=False).run()
            self.assertEqual(status, 1, log)
            self.assertIn("Address already in use", log)
        finally:
            taken.close()

        not_a_dir = os.path.join(self.work, "file")
        open(not_a_dir, "w").close()
        status, log = self.server(data_dir=not_a_dir).run()
        self.assertEqual(status, 1, log)
        self.assertIn("cannot create the data directory", log)

        not_a_log = os.path.join(self.work, "garbage")
        os.makedirs(not_a_log)
        with open(os.path.join(not_a_log, "registry.db"), "wb") as f:
            f.write(b"this is not an SQLite database" * 100)
        status, log = self.server(data_dir=not_a_log).run()
        self.assertEqual(status, 1, log)
        self.assertIn("cannot open the registry log", log)

    def test_help_lists_settings(self):
        status, log = self.server("--help", port_file=False).run()
        self.assertEqual(status, 0, log)
        for text in ("--listen HOST:PORT", "SCHEMAGUARD_DATA_DIR", "default ./data",
                     "config schema.compatibility.level", "--port-file"):
            self.assertIn(text, log)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: serve_test.py PATH/TO/schemaguard [unittest args]")
    BINARY = os.path.realpath(sys.argv.pop(1))
    unittest.main(verbosity=2)
