"""An ERP-shaped Flask application the proxy tests run behind Vigil (Debian python3-flask)."""
import hashlib
import json
import sys
import threading
import time

from flask import Flask, Response, jsonify, make_response, redirect, request
from werkzeug.serving import make_server

app = Flask(__name__)
hits = {}
lock = threading.Lock()


@app.before_request
def count():
    with lock:
        hits[request.path] = hits.get(request.path, 0) + 1


@app.get("/_hits")
def get_hits():
    with lock:
        return jsonify(hits)


@app.get("/api/projects")
def projects():
    return jsonify([{"id": i, "name": "Project %d" % i, "status": "active", "budget": i * 1000} for i in range(60)])


@app.get("/api/projects/<int:pid>")
def project(pid):
    return jsonify({"id": pid, "name": "Project %d" % pid, "served": hits.get(request.path, 0)})


@app.get("/api/projects/<int:pid>/tasks/<task>")
def task(pid, task):
    return jsonify({"project": pid, "task": task})


@app.get("/api/reports/slow")
def slow_report():
    time.sleep(int(request.args.get("ms", "200")) / 1000.0)
    return jsonify({"report": "quarterly", "rows": 42})


@app.post("/api/upload")
def upload():
    digest = hashlib.sha256()
    size = 0
    while True:
        chunk = request.stream.read(65536)
        if not chunk:
            break
        digest.update(chunk)
        size += len(chunk)
    return jsonify({"size": size, "sha256": digest.hexdigest()})


@app.get("/api/download")
def download():
    mb = int(request.args.get("mb", "1"))
    block = bytes(range(256)) * 4096  # 1 MiB

    def gen():
        for _ in range(mb):
            yield block

    return Response(gen(), mimetype="application/octet-stream")


@app.get("/api/binary")
def binary():
    return Response(bytes(range(256)) * 8, mimetype="application/octet-stream")


@app.get("/api/events")
def events():
    def gen():
        for i in range(3):
            yield "data: event %d\n\n" % i
            time.sleep(0.2)

    return Response(gen(), mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})


@app.get("/api/redirect")
def go():
    return redirect("http://elsewhere.invalid/landing?x=1", code=302)


@app.route("/api/login", methods=["POST"])
def login():
    resp = make_response(jsonify({"ok": True}))
    resp.set_cookie("session", "abc123", httponly=True)
    resp.set_cookie("theme", "dark")
    return resp


@app.route("/api/echo", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def echo():
    body = request.get_data()
    return jsonify({
        "method": request.method,
        "headers": {k: v for k, v in request.headers.items()},
        "cookies": request.cookies,
        "args": request.args,
        "length": len(body),
        "body": body.decode("latin-1")[:200],
    })


@app.get("/api/status/<int:code>")
def status(code):
    return Response(json.dumps({"status": code}), status=code, mimetype="application/json")


@app.get("/api/private")
def private():
    resp = jsonify({"secret": "for one user", "n": hits.get(request.path, 0)})
    resp.headers["Cache-Control"] = "private, max-age=60"
    return resp


@app.get("/api/nostore")
def nostore():
    resp = jsonify({"n": hits.get(request.path, 0)})
    resp.headers["Cache-Control"] = "no-store"
    return resp


@app.get("/api/me")
def me():
    resp = jsonify({"cookie": request.headers.get("Cookie"), "n": hits.get(request.path, 0)})
    return resp


@app.get("/api/counter")
def counter():
    return jsonify({"n": hits.get(request.path, 0)})


@app.get("/api/big")
def big():
    return Response(b"x" * (3 * 1024 * 1024), mimetype="application/octet-stream")


@app.get("/api/versioned")
def versioned():
    etag = '"v1"'
    if request.headers.get("If-None-Match") == etag:
        resp = Response(status=304)
        resp.headers["ETag"] = etag
        return resp
    resp = jsonify({"version": 1, "n": hits.get(request.path, 0)})
    resp.headers["ETag"] = etag
    resp.headers["Cache-Control"] = "max-age=1"
    return resp


@app.get("/api/user")
def user():
    resp = jsonify({"hello": "user"})
    resp.headers["X-Vigil-User"] = "123"
    return resp


if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("PORT %d" % server.port, flush=True)
    server.serve_forever()
