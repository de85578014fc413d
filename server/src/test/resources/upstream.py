# A small upstream for the proxy tests, run inside a sandbox: python3 upstream.py PORT
#   GET /echo...   JSON {method, path, headers}      GET /missing  404 "no such page"
#   GET /sse       three events 0.5 s apart            GET /ws       WebSocket echo ("echo: " + text)
#   POST /...      the body back
import base64, hashlib, json, struct, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.startswith("/ws"):
            return self.websocket()
        if self.path.startswith("/sse"):
            return self.events()
        if self.path.startswith("/missing"):
            return self.reply(404, b"no such page")
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.reply(200, json.dumps({"method": "GET", "path": self.path, "headers": headers}).encode(), "application/json")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.reply(200, body, "application/octet-stream")

    def reply(self, code, body, ctype="text/plain"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Upstream", "python")
        self.end_headers()
        self.wfile.write(body)

    def events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        for i in range(3):
            self.wfile.write(("data: event %d\n\n" % i).encode())
            self.wfile.flush()
            time.sleep(0.5)
        self.close_connection = True

    def websocket(self):
        accept = base64.b64encode(hashlib.sha1((self.headers["Sec-WebSocket-Key"] + GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        while True:
            head = self.rfile.read(2)
            if len(head) < 2:
                return
            opcode, n = head[0] & 0x0F, head[1] & 0x7F
            if n == 126:
                n = struct.unpack(">H", self.rfile.read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self.rfile.read(8))[0]
            mask = self.rfile.read(4) if head[1] & 0x80 else b"\0\0\0\0"
            data = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(n)))
            if opcode == 8:
                self.frame(8, data)
                return
            if opcode == 1:
                self.frame(1, b"echo: " + data)
            elif opcode == 2:
                self.frame(2, data)

    def frame(self, opcode, data):
        n = len(data)
        if n < 126:
            size = bytes([n])
        elif n < 65536:
            size = bytes([126]) + struct.pack(">H", n)
        else:
            size = bytes([127]) + struct.pack(">Q", n)
        self.wfile.write(bytes([0x80 | opcode]) + size + data)
        self.wfile.flush()

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 resets bursts of concurrent connects


Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
