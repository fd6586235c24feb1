"""A minimal Bot API server for multi-process tests: it answers what python-telegram-bot asks
at start-up, returns no updates to long polling, and records every sendMessage with the time
it arrived. Runs in a thread (stdlib only), so the bots under test are real processes."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Twitch", "username": "twitch_test_bot"}


@dataclass
class Sent:
    at: float  # time.monotonic() when it arrived
    chat_id: int
    text: str
    params: dict[str, Any]


@dataclass
class FakeBotApi:
    sent: list[Sent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                method = self.path.rsplit("/", 1)[-1]
                params = _params(self.headers.get("Content-Type", ""), body)
                result = api.answer(method, params)
                data = json.dumps({"ok": True, "result": result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            time.sleep(min(float(params.get("timeout") or 0), 0.5))
            return []
        if method == "sendMessage":
            chat_id = int(params.get("chat_id", 0))
            with self.lock:
                self.sent.append(Sent(time.monotonic(), chat_id, params.get("text", ""), params))
                number = len(self.sent)
            return {
                "message_id": number,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": params.get("text", ""),
                "from": BOT_USER,
            }
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # setMyCommands, setWebhook, deleteWebhook, answerCallbackQuery, edits...

    def messages(self) -> list[Sent]:
        with self.lock:
            return list(self.sent)


def _params(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if "json" in content_type:
        return dict(json.loads(body))
    values = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    out: dict[str, Any] = {}
    for key, value in values.items():
        try:
            out[key] = json.loads(value) if key not in ("text",) else value
        except ValueError:
            out[key] = value
    return out
