"""A webhook receiver for Sozialmonitor subscriptions (standard library only).

    SOZIALMONITOR_WEBHOOK_SECRET=<secret shown at `subscription add`> python3 examples/analysis/receiver.py 8080

Verifies X-Sozialmonitor-Signature (HMAC-SHA256 of the raw body, hex) in constant time, drops repeats
by ce-id, answers 204 quickly, and prints each changed value.
"""
import hashlib
import hmac
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ["SOZIALMONITOR_WEBHOOK_SECRET"].encode()
seen: set[str] = set()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        expected = "sha256=" + hmac.new(SECRET, body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, self.headers.get("x-sozialmonitor-signature", "")):
            self.send_response(401)
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()
        event_id = self.headers["ce-id"]
        if event_id in seen:
            return
        seen.add(event_id)
        v = json.loads(body)
        shown = "geschützt" if v["suppressed"] else v["value"]
        print(f"{self.headers['ce-time']} {v['indicatorId']} {v['region']['name']} {v['period']}: {shown} {v['unit']}")


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(sys.argv[1]) if len(sys.argv) > 1 else 8080), Receiver).serve_forever()
