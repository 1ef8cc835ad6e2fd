package dev.vigil.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds the effective configuration: defaults, then {@code vigil.yml}, then environment variables,
 * each key validated by its {@link Setting}. Any problem is a {@link ConfigException} whose message
 * is the one line start-up prints.
 */
public final class ConfigLoader {
  /** Environment variable naming the config file. */
  public static final String CONFIG_ENV = "VIGIL_CONFIG";
  private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z0-9_\\-]{1,64}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigLoader() {
  }

  /**
   * Loads the configuration.
   *
   * @param configFile the file named by {@code --config}, or {@code null} to use {@code VIGIL_CONFIG},
   *     then {@code ./vigil.yml} if it exists, then none
   * @param env the environment (pass {@code System.getenv()})
   * @throws ConfigException naming the first bad key
   */
  public static VigilConfig load(Path configFile, Map<String, String> env) {
    return load(configFile, env, List.of(), List.of());
  }

  /**
   * Loads the configuration with the settings and sections that server features declare on top of
   * {@link Settings#ALL}.
   *
   * @param extra settings beyond {@link Settings#ALL}, validated and printed like them
   * @param sections dotted keys whose YAML subtree (lists and maps allowed) is kept whole for its
   *     feature to parse, after {@code ${NAME}} references to environment variables are replaced
   * @throws ConfigException naming the first bad key
   */
  public static VigilConfig load(Path configFile, Map<String, String> env, List<Setting<?>> extra,
      List<String> sections) {
    Path file = configFile;
    if (file == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
      file = Path.of(env.get(CONFIG_ENV));
    }
    if (file == null && Files.isRegularFile(Path.of("vigil.yml"))) {
      file = Path.of("vigil.yml");
    }
    Map<String, JsonNode> sectionNodes = new LinkedHashMap<>();
    Map<String, String> fromFile = file == null ? Map.of() : readYaml(file, sections, sectionNodes);
    List<Setting<?>> all = new ArrayList<>(Settings.ALL);
    all.addAll(extra);
    Map<String, Setting<?>> known = new LinkedHashMap<>();
    for (Setting<?> s : all) {
      if (known.put(s.key(), s) != null) {
        throw new IllegalArgumentException("config key declared twice: " + s.key());
      }
    }
    Map<String, JsonNode> resolvedSections = new LinkedHashMap<>();
    sectionNodes.forEach((key, node) -> resolvedSections.put(key, EnvReferences.resolve(key, node, env)));
    Map<String, String> databases = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : fromFile.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(Settings.BACKUP_DATABASES + ".")) {
        String name = key.substring(Settings.BACKUP_DATABASES.length() + 1);
        if (!DATABASE_NAME.matcher(name).matches()) {
          throw new ConfigException(key, name, "database names of 1-64 letters, digits, '_' or '-'");
        }
        Settings.DATABASE_URL.parser().parse(e.getValue()).orElseThrow(() -> new ConfigException(key,
            Setting.maskUrlPassword(e.getValue()), Settings.DATABASE_URL.parser().allowed()));
        databases.put(name, e.getValue());
      } else if (!known.containsKey(key)) {
        throw new ConfigException(key, "(in " + file + ")", "keys: one of those listed by 'vigil config'");
      }
    }
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    List<VigilConfig.Entry> entries = new ArrayList<>();
    for (Setting<?> setting : all) {
      String text = setting.defaultText();
      VigilConfig.Source source = VigilConfig.Source.DEFAULT;
      String origin = "default";
      String name = setting.key();
      if (fromFile.containsKey(setting.key())) {
        text = fromFile.get(setting.key());
        source = VigilConfig.Source.FILE;
        origin = file.toString();
      }
      for (String envName : setting.envNames()) {
        String envValue = env.get(envName);
        if (envValue != null) {
          text = envValue;
          source = VigilConfig.Source.ENVIRONMENT;
          origin = envName;
          name = envName;
          break;
        }
      }
      if (text != null && text.isEmpty() && setting.defaultText() == null) {
        text = null;
      }
      if (text != null) {
        Optional<?> value = setting.parser().parse(text);
        if (value.isEmpty()) {
          throw new ConfigException(name, setting.show(text), setting.parser().allowed());
        }
        values.put(setting, value.get());
      }
      entries.add(new VigilConfig.Entry(setting.key(), setting.show(text), source, origin));
    }
    if (values.get(Settings.DATABASE_URL) != null && !databases.containsKey("default")) {
      databases.put("default", (String) values.get(Settings.DATABASE_URL));
    }
    return new VigilConfig(values, entries, databases, resolvedSections);
  }

  private static Map<String, String> readYaml(Path file, List<String> sections, Map<String, JsonNode> sectionNodes) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("--config", file.toString(), "a path to a readable YAML file");
    }
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
      throw new ConfigException("--config", file.toString(), "valid YAML" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("--config", file.toString(), "a readable file (" + e.getMessage() + ")");
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root != null && !root.isMissingNode() && !root.isNull()) {
      if (!root.isObject()) {
        throw new ConfigException("--config", file.toString(), "a YAML mapping of keys at the top level");
      }
      flatten("", root, flat, sections, sectionNodes);
    }
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, List<String> sections,
      Map<String, JsonNode> sectionNodes) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (sections.contains(key)) {
        sectionNodes.put(key, value.deepCopy());
      } else if (value.isObject()) {
        flatten(key, value, out, sections, sectionNodes);
      } else if (value.isArray()) {
        throw new ConfigException(key, value.toString(), "a single value, not a list");
      } else {
        out.put(key, value.isNull() ? "" : value.asText());
      }
    }
  }
}
