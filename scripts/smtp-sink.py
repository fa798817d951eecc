#!/usr/bin/env python3
"""A mail sink for Warden's tests: a real SMTP server (aiosmtpd) that keeps what it receives.

    scripts/smtp-sink.py --dir DIR [--host 127.0.0.1] [--port PORT] [--port-file FILE]
                         [--tls-cert cert.pem --tls-key key.pem [--require-starttls]]
                         [--auth-user USER --auth-password PASSWORD] [--refuse ADDRESS ...]

Each message received is written to DIR as NNNN.eml (the DATA as sent, after un-dot-stuffing) and
appended to DIR/messages.jsonl as {"mail_from", "rcpt_tos", "data", "tls", "login", "subject", "body"},
the last two decoded by Python's e-mail parser.

--tls-cert/--tls-key offer STARTTLS; --require-starttls refuses everything but EHLO, NOOP, QUIT
and STARTTLS until it is used. --auth-user/--auth-password require AUTH (PLAIN or LOGIN, after
STARTTLS when TLS is offered). --refuse answers RCPT TO for that address with 550.
With --port 0 (the default) a free port is chosen; --port-file receives it once listening.
Needs `pip install aiosmtpd`.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, refused):
        self.directory = directory
        self.refused = {address.lower() for address in refused}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        data = envelope.original_content or envelope.content
        name = os.path.join(self.directory, f"{self.count:04d}.eml")
        with open(name, "wb") as handle:
            handle.write(data)
        login = session.auth_data if isinstance(session.auth_data, str) else None
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                  "data": data.decode("utf-8", errors="replace"), "tls": session.ssl is not None, "login": login,
                  "subject": str(parsed["subject"]), "body": parsed.get_content().replace("\r\n", "\n")}
        with open(os.path.join(self.directory, "messages.jsonl"), "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
        return f"250 2.0.0 OK: queued as {self.count:04d}"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=user)
        return AuthResult(success=False, handled=False)
    return check


async def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir, args.refuse or [])
    options = {"hostname": "warden-smtp-sink", "enable_SMTPUTF8": True}
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=args.require_starttls)
    if args.auth_user:
        options.update(authenticator=authenticator(args.auth_user, args.auth_password or ""), auth_required=True,
                       auth_require_tls=bool(args.tls_cert))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(sink, **options), args.host, args.port)
    port = server.sockets[0].getsockname()[1]
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as handle:
            handle.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print(f"smtp-sink listening on {args.host}:{port}", flush=True)
    async with server:
        await server.serve_forever()


def main():
    # A parent may have left SIGTERM ignored (ignored signals survive exec): stop on it regardless.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, help="where received messages are written")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password")
    parser.add_argument("--refuse", action="append", help="an address RCPT TO refuses with 550 (repeatable)")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
