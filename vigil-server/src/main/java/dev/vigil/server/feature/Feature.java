package dev.vigil.server.feature;

import dev.vigil.core.config.Setting;
import dev.vigil.core.config.VigilConfig;
import java.util.List;

/**
 * One capability of the server (monitoring, backups, the application proxy, …). The server is the
 * list in {@link Features}: each feature declares the settings it reads, and when it is enabled it
 * starts from one {@link ServerContext}, adding routes, meters, health checks and services there and
 * handing everything it starts to {@link ServerContext#closeOnStop}. The server closes features in
 * the reverse order of their start.
 *
 * <p>A feature that is off under the configuration is not started; its {@link #paths()} answer the
 * one "not enabled" error (409 {@code not_enabled}) saying how to turn it on.
 */
public interface Feature {
  /** Short lower-case name, e.g. {@code proxy}: the key in {@code /api/info}'s {@code features}. */
  String name();

  /** The settings this feature reads, validated by the config loader and printed by {@code vigil config}. */
  default List<Setting<?>> settings() {
    return List.of();
  }

  /**
   * Dotted YAML keys whose whole subtree (lists and maps allowed) this feature parses itself, e.g.
   * {@code alerts}; read with {@link VigilConfig#section}.
   */
  default List<String> sections() {
    return List.of();
  }

  /**
   * Checks what single settings cannot check alone (e.g. a warning threshold not above its critical
   * one); run on every load, whether or not the feature is enabled.
   *
   * @throws dev.vigil.core.config.ConfigException in one line naming the key
   */
  default void validate(VigilConfig config) {
  }

  /** Whether the feature runs under {@code config}. */
  default boolean enabled(VigilConfig config) {
    return true;
  }

  /** How to turn the feature on (shown in the "not enabled" answer), e.g. "set proxy.upstream". */
  default String howToEnable() {
    return "see README";
  }

  /**
   * Path prefixes of the feature's routes (e.g. {@code /api/app}). While the feature is off, every
   * request under them answers 409 {@code not_enabled}.
   */
  default List<String> paths() {
    return List.of();
  }

  /**
   * Starts the feature. Anything started must be registered with {@link ServerContext#closeOnStop}
   * before the next thing is started, so a failure part-way closes what was started.
   *
   * @throws Exception when it cannot start; the server then closes what it started and fails
   */
  void start(ServerContext context) throws Exception;
}
