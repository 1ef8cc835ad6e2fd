package dev.vigil.server.dashboard;

import java.util.Map;

/**
 * Where the dashboard's static files live: its own HTML, ES modules, CSS and message catalogs at
 * {@code /}, and the chart library from its WebJar at {@code /webjars}. Served without a token; the
 * page asks for one and sends it with every API call.
 */
public final class DashboardFiles {
  /** Classpath directory of the dashboard's own files (not a Java package path: a class directory of the same
   * name earlier on the class path would hide it). */
  public static final String DIRECTORY = "/vigil-dashboard";
  /** Classpath directory of WebJars. */
  public static final String WEBJARS = "/META-INF/resources/webjars";
  /** Classpath directory → URL path, for {@code HttpServer.Options#staticFiles}. */
  public static final Map<String, String> STATIC_FILES = Map.of(DIRECTORY, "/", WEBJARS, "/webjars");

  private DashboardFiles() {
  }
}
