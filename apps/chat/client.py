"""A command-line client for the chat: connect, say something, print what the room says.

    python client.py http://127.0.0.1:5000 --user ada --say "hello"

It uses python-socketio's ``Client`` (``pip install "python-socketio[client]"``), the
same API the lessons teach: ``@sio.on`` handlers run on a thread python-engineio starts for
each incoming packet, not on the main thread.
"""

from __future__ import annotations

import argparse
import threading

import socketio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the server (or the proxy in front of it)")
    parser.add_argument("--user", default="cli")
    parser.add_argument("--say", default="hello")
    parser.add_argument("--websocket-only", action="store_true",
                        help="skip long-polling: fails if WebSocket cannot get through")
    args = parser.parse_args()

    sio = socketio.Client()
    heard = threading.Event()

    @sio.on("welcome")
    def on_welcome(data):
        print(f"welcome {data['user']}, served by pid {data['pid']} ({data['async_mode']})")

    @sio.on("said")
    def on_said(data):
        print("said:", data["text"])
        heard.set()

    transports = ["websocket"] if args.websocket_only else None
    sio.connect(args.url, auth={"user": args.user}, transports=transports, wait_timeout=5)
    print("transport:", sio.transport())
    sio.call("say", args.say, timeout=5)
    heard.wait(5)
    sio.disconnect()


if __name__ == "__main__":
    main()
