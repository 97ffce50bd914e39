#!/usr/bin/env python3
"""A one-file HTTP server for download tests: serves FILE at any path on 127.0.0.1, honours
`Range: bytes=N-` (206), and with --cut-after N drops the connection after N body bytes of the
first full (non-range) request, as a flaky network would. Writes its port to PORTFILE and one
line per request ("GET <path> range=<header or ->") to LOGFILE."""
import http.server
import os
import sys

path, port_file, log_file = sys.argv[1:4]
cut_after = int(sys.argv[sys.argv.index("--cut-after") + 1]) if "--cut-after" in sys.argv else -1
data = open(path, "rb").read()
state = {"cut_done": False}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        rng = self.headers.get("Range")
        with open(log_file, "a") as log:
            log.write(f"GET {self.path} range={rng or '-'}\n")
        start = 0
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            start = int(rng[6:-1])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if start == 0 and cut_after >= 0 and not state["cut_done"]:
            state["cut_done"] = True
            self.wfile.write(body[:cut_after])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
