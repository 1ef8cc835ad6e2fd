"""An ERP-shaped Flask application over PostgreSQL (Debian python3-flask, python3-psycopg2), behind Vigil's
proxy in the optimizer tests. ERP_DSN names the database; the port is printed as 'PORT n'."""
import os
import threading

import psycopg2.pool
from flask import Flask, jsonify, make_response
from werkzeug.serving import make_server

app = Flask(__name__)
pool = psycopg2.pool.ThreadedConnectionPool(1, 8, os.environ["ERP_DSN"])
calls = {"n": 0}
lock = threading.Lock()


def query(sql, *args):
    conn = pool.getconn()
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchall()
    finally:
        pool.putconn(conn)


@app.get("/api/reports/sales-by-city")
def sales_by_city():
    """The slow report: every order joined to its customer, grouped by city; the same answer every call."""
    rows = query("SELECT c.city, count(*), sum(o.total + l.qty * l.price)::float FROM orders o "
                 "JOIN customers c ON c.id = o.customer_id JOIN order_lines l ON l.order_id = o.id "
                 "GROUP BY c.city ORDER BY 3 DESC, 1 LIMIT 20")
    return jsonify([{"city": r[0], "orders": r[1], "total": r[2]} for r in rows])


@app.get("/api/stock/live")
def stock_live():
    """Slow too, but its answer changes on every call (a live figure with the time it was taken)."""
    rows = query("SELECT count(*), sum(l.qty), clock_timestamp()::text FROM order_lines l "
                 "JOIN orders o ON o.id = l.order_id WHERE o.status <> 'void'")
    with lock:
        calls["n"] += 1
        n = calls["n"]
    return jsonify({"moves": rows[0][0], "qty": rows[0][1], "at": rows[0][2], "call": n})


@app.get("/api/me/orders")
def my_orders():
    """A personal answer: it sets the session cookie."""
    rows = query("SELECT o.status, count(*) FROM orders o JOIN order_lines l ON l.order_id = o.id "
                 "GROUP BY o.status ORDER BY 1")
    resp = make_response(jsonify([{"status": r[0], "orders": r[1]} for r in rows]))
    resp.set_cookie("session", "s-1", httponly=True)
    return resp


@app.get("/api/orders/<int:oid>")
def order(oid):
    rows = query("SELECT id, customer_id, status, total::float FROM orders WHERE id = %s", oid)
    return jsonify({"id": rows[0][0], "customer": rows[0][1], "status": rows[0][2], "total": rows[0][3]}
                   if rows else {})


if __name__ == "__main__":
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("PORT %d" % server.port, flush=True)
    server.serve_forever()
