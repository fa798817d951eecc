#!/usr/bin/env python3
"""A reverse proxy for Warden's end-to-end checks that can make a healthy target look broken: it
forwards every request to --target unchanged, unless told to fail.

    scripts/fault-proxy.py --target http://127.0.0.1:PORT --port PORT [--port-file FILE]

Control (not forwarded):
  POST /_control {"fail_next": N, "status": 500}  the next N requests get STATUS, with a SCIM error body
  POST /_control {"down_until": UNIX_SECONDS, "status": 500}  every request until then fails
  POST /_control {"lose_next": N, "method": "POST"}  the next N requests of METHOD reach the target, but
      their answers are replaced by a 502, as when a connection drops after the target acted
  POST /_control {"reset": true}  fail nothing
  GET /_stats  {"forwarded": N, "failed": N, "lost": N}

With --port 0 a free port is chosen; --port-file receives the port once the proxy listens.
"""
import argparse
import json
import signal
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "host", "content-length"}


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.fail_next = 0
        self.down_until = 0.0
        self.status = 500
        self.lose_next = 0
        self.lose_method = "POST"
        self.forwarded = 0
        self.failed = 0
        self.lost = 0

    def should_fail(self):
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                self.failed += 1
                return self.status
            if time.time() < self.down_until:
                self.failed += 1
                return self.status
            self.forwarded += 1
            return None

    def should_lose(self, method):
        with self.lock:
            if self.lose_next > 0 and method == self.lose_method:
                self.lose_next -= 1
                self.lost += 1
                return True
            return False


def handler(target, state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body, content_type="application/json", headers=()):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path == "/_control":
                command = json.loads(body or b"{}")
                with state.lock:
                    if command.get("reset"):
                        state.fail_next, state.down_until, state.lose_next = 0, 0.0, 0
                    state.status = int(command.get("status", state.status))
                    state.fail_next = int(command.get("fail_next", state.fail_next))
                    state.down_until = float(command.get("down_until", state.down_until))
                    state.lose_next = int(command.get("lose_next", state.lose_next))
                    state.lose_method = command.get("method", state.lose_method)
                return self.answer(200, {"ok": True})
            if self.path == "/_stats":
                with state.lock:
                    return self.answer(200, {"forwarded": state.forwarded, "failed": state.failed, "lost": state.lost})
            status = state.should_fail()
            if status is not None:
                return self.answer(status, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": str(status),
                                            "detail": f"fault proxy: the target is unavailable ({status})"},
                                   content_type="application/scim+json")
            request = urllib.request.Request(target + self.path, data=body if self.command in ("POST", "PUT", "PATCH") else None,
                                             method=self.command)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    request.add_header(name, value)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, headers, data = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, headers, data = error.code, error.headers, error.read()
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                return self.answer(502, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "502",
                                         "detail": f"fault proxy: the target did not answer: {error}"}, content_type="application/scim+json")
            if state.should_lose(self.command):
                return self.answer(502, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "502",
                                         "detail": "fault proxy: the answer was lost"}, content_type="application/scim+json")
            passed = [(name, value) for name, value in headers.items() if name.lower() not in HOP_BY_HOP and name.lower() != "content-type"]
            self.answer(status, data, content_type=headers.get("Content-Type", "application/octet-stream"), headers=passed)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(args.target.rstrip("/"), State()))
    if args.port_file:
        with open(args.port_file, "w") as file:
            file.write(str(server.server_address[1]))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


if __name__ == "__main__":
    main()
