#!/usr/bin/env python3
"""An HTTP receiver for Warden's lifecycle tests: records every request and applies each
Idempotency-Key once.

    scripts/test-receiver.py --port PORT --log requests.jsonl [--port-file FILE]
                             [--tls-cert cert.pem --tls-key key.pem]

Every request (except to /_control and /_applied) is appended to --log as one JSON line:
{"method", "path", "headers", "body" (parsed JSON, or the text, or null), "idempotency_key", "status",
"replayed"}.

A request with an Idempotency-Key the receiver has applied before is answered with the first
answer again and the header `Idempotent-Replayed: true`; it is recorded but not applied twice.
Anything else is applied: the answer is 201 with {"id": N, "received": BODY} for POST, 200 for
PUT and PATCH, 204 for DELETE, and 200 with {"path": PATH} for GET.

Control:
  POST /_control {"fail_next": N, "status": 503, "retry_after": 7}  the next N requests get STATUS
      (with Retry-After when given) and are not applied
  POST /_control {"down_until": UNIX_SECONDS, "status": 503}  every request until then fails
  POST /_control {"delay_next": N, "seconds": S}  the next N requests wait S seconds first
  POST /_control {"status_for": {"/path": 404}}  requests to PATH always get that status
  POST /_control {"reset": true}  forget everything
  GET /_applied  {"KEY": {"method", "path", "body", "status"}} for every applied key
  GET /_requests  every recorded request, as a JSON array

With --port 0 a free port is chosen; --port-file receives the port once the server listens.
"""
import argparse
import os
import json
import signal
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REASONS = {200: "OK", 201: "Created", 204: "No Content", 404: "Not Found", 408: "Request Timeout",
           429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class State:
    def __init__(self, log_path):
        self.lock = threading.Lock()
        self.log_path = log_path
        self.reset()

    def reset(self):
        self.applied = {}
        self.requests = []
        self.fail_next = 0
        self.fail_status = 503
        self.retry_after = None
        self.down_until = 0.0
        self.delay_next = 0
        self.delay_seconds = 0.0
        self.status_for = {}
        self.next_id = 1

    def record(self, entry):
        self.requests.append(entry)
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: State = None

    def log_message(self, format, *args):
        pass

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        text = raw.decode("utf-8", errors="replace")
        try:
            return json.loads(text)
        except ValueError:
            return text

    def answer(self, status, body=None, headers=()):
        data = b"" if body is None or status in (204, 304) else json.dumps(body).encode()
        self.send_response(status, REASONS.get(status))
        for name, value in headers:
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def control(self, body):
        state = self.state
        body = body if isinstance(body, dict) else {}
        with state.lock:
            if body.get("reset"):
                state.reset()
            if "fail_next" in body:
                state.fail_next = int(body["fail_next"])
                state.fail_status = int(body.get("status", 503))
                state.retry_after = body.get("retry_after")
            if "down_until" in body:
                state.down_until = float(body["down_until"])
                state.fail_status = int(body.get("status", 503))
            if "delay_next" in body:
                state.delay_next = int(body["delay_next"])
                state.delay_seconds = float(body.get("seconds", 1))
            if "status_for" in body:
                state.status_for.update({path: int(status) for path, status in body["status_for"].items()})
        self.answer(200, {"ok": True})

    def handle_any(self):
        state = self.state
        body = self.read_body()
        if self.path == "/_control" and self.command == "POST":
            return self.control(body)
        if self.path == "/_applied" and self.command == "GET":
            with state.lock:
                return self.answer(200, state.applied)
        if self.path == "/_requests" and self.command == "GET":
            with state.lock:
                return self.answer(200, state.requests)

        key = self.headers.get("Idempotency-Key")
        entry = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body,
                 "idempotency_key": key}
        with state.lock:
            delay = 0.0
            if state.delay_next > 0:
                state.delay_next -= 1
                delay = state.delay_seconds
        if delay:
            time.sleep(delay)

        with state.lock:
            failure = None
            if state.fail_next > 0:
                state.fail_next -= 1
                failure = state.fail_status
            elif time.time() < state.down_until:
                failure = state.fail_status
            elif self.path in state.status_for:
                failure = state.status_for[self.path]
            if failure is not None:
                entry.update(status=failure, replayed=False)
                state.record(entry)
                headers = [("Retry-After", str(state.retry_after))] if state.retry_after is not None else []
                reply = (failure, {"error": REASONS.get(failure, "failure"), "path": self.path}, headers)
            elif key is not None and key in state.applied:
                first = state.applied[key]
                entry.update(status=first["status"], replayed=True)
                state.record(entry)
                reply = (first["status"], first["answer"], [("Idempotent-Replayed", "true")])
            else:
                status, answer = self.apply(body)
                if key is not None:
                    state.applied[key] = {"method": self.command, "path": self.path, "body": body, "status": status,
                                          "answer": answer}
                entry.update(status=status, replayed=False)
                state.record(entry)
                reply = (status, answer, [])
        self.answer(*reply)

    def apply(self, body):
        """The answer to a request applied for the first time; called with the lock held."""
        state = self.state
        if self.command == "POST":
            answer = {"id": state.next_id, "received": body}
            state.next_id += 1
            return 201, answer
        if self.command in ("PUT", "PATCH"):
            return 200, {"received": body}
        if self.command == "DELETE":
            return 204, None
        return 200, {"path": self.path}

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any


def main():
    # A parent may have left SIGTERM ignored (ignored signals survive exec): stop on it regardless.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", help="append each request as a JSON line to this file")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()

    Handler.state = State(args.log)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"test-receiver listening on {args.host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
