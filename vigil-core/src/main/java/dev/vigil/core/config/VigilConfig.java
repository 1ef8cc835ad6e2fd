package dev.vigil.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effective, validated configuration: each {@link Setting}'s typed value and where it came
 * from. Built only by {@link ConfigLoader}, so holding one means every value is allowed.
 */
public final class VigilConfig {
  private final Map<Setting<?>, Object> values;
  private final List<Entry> entries;
  private final Map<String, String> databases;
  private final Map<String, JsonNode> sections;
  private final Set<String> declaredKeys = new HashSet<>();

  /** How a value was set. */
  public enum Source { DEFAULT, FILE, ENVIRONMENT }

  /**
   * One key as {@code vigil config} shows it.
   *
   * @param key dotted key
   * @param shown value with secrets masked, or {@code null} when unset
   * @param source where it came from
   * @param origin the file path or environment variable name, or {@code "default"}
   */
  public record Entry(String key, String shown, Source source, String origin) {
  }

  VigilConfig(Map<Setting<?>, Object> values, List<Entry> entries, Map<String, String> databases,
      Map<String, JsonNode> sections) {
    this.values = Map.copyOf(values);
    this.entries = List.copyOf(entries);
    this.databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    this.sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    entries.forEach(e -> declaredKeys.add(e.key()));
  }

  /** The configuration with every key at its default and no environment. */
  public static VigilConfig defaults() {
    return ConfigLoader.load(null, Map.of());
  }

  /** The value of a setting that has a default; fails for an optional one that is unset. */
  public <T> T get(Setting<T> setting) {
    return find(setting).orElseThrow(() -> new IllegalStateException("config key " + setting.key() + " is not set"));
  }

  /**
   * The value of a setting, empty when an optional key is unset.
   *
   * @throws IllegalStateException when the setting was not declared to the loader (a feature that
   *     forgot to list it in its settings), so the mistake shows in the first test that reads it
   */
  @SuppressWarnings("unchecked")
  public <T> Optional<T> find(Setting<T> setting) {
    if (!declared(setting)) {
      throw new IllegalStateException("config key " + setting.key() + " was not declared to the config loader");
    }
    return Optional.ofNullable((T) values.get(setting));
  }

  /** Whether {@code setting} was one of the settings this configuration was loaded with. */
  public boolean declared(Setting<?> setting) {
    return declaredKeys.contains(setting.key());
  }

  /**
   * A structured section (lists and maps) declared to the loader, e.g. {@code proxy.cache.rules}, with
   * {@code ${NAME}} environment references already replaced; empty when the file has none.
   */
  public Optional<JsonNode> section(String key) {
    return Optional.ofNullable(sections.get(key));
  }

  /** The data directory. */
  public Path dataDir() {
    return Path.of(get(Settings.DATA_DIR));
  }

  /**
   * Named databases to back up: {@code backup.databases.<name>} entries, plus {@code DATABASE_URL}
   * as {@code default} when set. Values are URLs that may hold passwords: never print them.
   */
  public Map<String, String> databases() {
    return databases;
  }

  /** Every key with its masked value and origin, in {@link Settings#ALL} order. */
  public List<Entry> entries() {
    return entries;
  }
}
