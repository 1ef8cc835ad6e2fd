package dev.vigil.insight.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ERP-like PostgreSQL schema (customers, products, orders ~1 M rows, order lines, invoices, stock
 * moves) with planted problems, and pgbench scripts that drive it.
 *
 * <p>Planted: missing indexes on {@code orders(customer_id)} and {@code order_lines(product_id)}, a
 * missing multi-column index for {@code stock_moves WHERE warehouse_id = ? ORDER BY moved_at DESC LIMIT 20},
 * a duplicate index on {@code invoices(order_id)}, an unused index on {@code customers(city)}, a bloated
 * {@code products} table, stale statistics on {@code invoices}. The idle-in-transaction blocker is
 * made by the test itself.
 */
public final class ErpWorkload {
  /** Rows in orders (and order lines). */
  public final int orders;
  /** Customers. */
  public final int customers;

  /** A workload of {@code orders} orders. */
  public ErpWorkload(int orders) {
    this.orders = orders;
    this.customers = Math.max(1000, orders / 20);
  }

  /** Creates and fills the schema, analyzes it, then plants the catalog problems. */
  public void load(PgInstance pg, String db) {
    pg.exec(db,
        "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, city text NOT NULL, "
            + "balance numeric NOT NULL DEFAULT 0)",
        "CREATE TABLE products (id int PRIMARY KEY, sku text NOT NULL, name text NOT NULL, price numeric NOT NULL, "
            + "stock int NOT NULL)",
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL, "
            + "created_at timestamptz NOT NULL, total numeric NOT NULL)",
        "CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint NOT NULL, product_id int NOT NULL, "
            + "qty int NOT NULL, price numeric NOT NULL)",
        "CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL, number text NOT NULL, "
            + "issued_at timestamptz NOT NULL, amount numeric NOT NULL)",
        "CREATE TABLE stock_moves (id bigint PRIMARY KEY, product_id int NOT NULL, warehouse_id int NOT NULL, "
            + "moved_at timestamptz NOT NULL, qty int NOT NULL)",
        "INSERT INTO customers SELECT g, 'customer ' || g, 'c' || g || '@example.com', 'city ' || (g % 300), 0 "
            + "FROM generate_series(1, " + customers + ") g",
        "INSERT INTO products SELECT g, 'SKU-' || g, 'product ' || g, (g % 500) + 1, 100 FROM generate_series(1, 10000) g",
        "INSERT INTO orders SELECT g, 1 + (hashint4(g) & 2147483647) % " + customers + ", "
            + "(ARRAY['new','paid','shipped','closed'])[1 + g % 4], timestamptz '2026-01-01' + g * interval '20 s', "
            + "(g % 1000) + 0.5 FROM generate_series(1, " + orders + ") g",
        "INSERT INTO order_lines SELECT g, g, 1 + (hashint4(g + 7) & 2147483647) % 10000, 1 + g % 5, 9.99 "
            + "FROM generate_series(1, " + orders + ") g",
        "INSERT INTO invoices SELECT g, g * 4, 'INV-' || g, timestamptz '2026-01-01' + g * interval '80 s', 10 "
            + "FROM generate_series(1, " + orders / 5 + ") g",
        "INSERT INTO stock_moves SELECT g, 1 + g % 10000, 1 + (hashint4(g + 3) & 2147483647) % 50, "
            + "timestamptz '2026-01-01' + g * interval '40 s', 1 + g % 9 FROM generate_series(1, " + orders / 2 + ") g",
        // served by an index, and repeated by a duplicate
        "CREATE INDEX invoices_order_id_idx ON invoices (order_id)",
        "CREATE INDEX invoices_order_copy_idx ON invoices (order_id)",
        // never used by the workload
        "CREATE INDEX customers_city_idx ON customers (city)",
        "VACUUM ANALYZE");
    // a bloated table: every row updated five times and never vacuumed (autovacuum is off), statistics fresh
    for (int i = 0; i < 5; i++) {
      pg.exec(db, "UPDATE products SET stock = stock + 1");
    }
    pg.exec(db, "ANALYZE products");
    // stale statistics: half as many invoices again after the last analyze
    pg.exec(db, "INSERT INTO invoices SELECT g, g * 4, 'INV-' || g, timestamptz '2026-01-01' + g * interval '80 s', 10 "
        + "FROM generate_series(" + (orders / 5 + 1) + ", " + (orders / 5 + orders / 10) + ") g");
  }

  /** The three planted slow shapes, by script name. */
  public Map<String, String> plantedScripts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("orders_by_customer.sql", "\\set c random(1, " + customers + ")\n"
        + "SELECT id, status, total FROM orders WHERE customer_id = :c;\n");
    m.put("lines_by_product.sql", "\\set p random(1, 10000)\n"
        + "SELECT count(*), sum(qty) FROM order_lines WHERE product_id = :p;\n");
    m.put("moves_by_warehouse.sql", "\\set w random(1, 50)\n"
        + "SELECT id, product_id, qty, moved_at FROM stock_moves WHERE warehouse_id = :w ORDER BY moved_at DESC "
        + "LIMIT 20;\n");
    return m;
  }

  /** Shapes already served by an index, plus a write. */
  public Map<String, String> servedScripts() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("order_by_id.sql", "\\set o random(1, " + orders + ")\n"
        + "SELECT id, customer_id, status, total FROM orders WHERE id = :o;\n");
    m.put("invoices_by_order.sql", "\\set o random(1, " + orders + ")\n"
        + "SELECT id, number, amount FROM invoices WHERE order_id = :o;\n");
    m.put("customer_balance.sql", "\\set c random(2, " + customers + ")\n"
        + "UPDATE customers SET balance = balance + 1 WHERE id = :c;\n"
        + "SELECT name, balance FROM customers WHERE id = :c;\n");
    return m;
  }

  /** Everything. */
  public Map<String, String> allScripts() {
    Map<String, String> m = new LinkedHashMap<>(plantedScripts());
    m.putAll(servedScripts());
    return m;
  }

  /** Substrings that identify the planted shapes' normalized text. */
  public static final Map<String, String> PLANTED_TEXT = Map.of(
      "orders(customer_id)", "FROM orders WHERE customer_id",
      "order_lines(product_id)", "FROM order_lines WHERE product_id",
      "stock_moves(warehouse_id, moved_at)", "FROM stock_moves WHERE warehouse_id");
}
