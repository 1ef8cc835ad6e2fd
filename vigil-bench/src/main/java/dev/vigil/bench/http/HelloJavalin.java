package dev.vigil.bench.http;

import io.javalin.Javalin;

/**
 * The {@code http} suite's baseline: a bare Javalin hello-world route, nothing else, so the cost of
 * Vigil's own request pipeline (ids, headers, auth, rate limits, JSON) shows against it.
 */
public final class HelloJavalin {
  private HelloJavalin() {
  }

  /** Serves {@code GET /hello} on 127.0.0.1 at the port given as the only argument. */
  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Javalin.create(cfg -> cfg.showJavalinBanner = false)
        .get("/hello", ctx -> ctx.result("{\"status\":\"UP\"}"))
        .start("127.0.0.1", port);
  }
}
