package dev.vigil.cache.memoize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.temporal.TemporalAccessor;
import java.util.UUID;

/**
 * How memoized calls become cache keys: {@code <prefix>} for no argument, {@code <prefix>:<arg>} for one,
 * {@code <prefix>:<arg1>:<arg2>...} for several.
 *
 * <ul>
 *   <li>Strings, numbers, booleans, characters, enums, UUIDs and java.time values are written as
 *       {@code toString()}; {@code null} as {@code ~null}.</li>
 *   <li>Anything else (records, beans, lists, maps, arrays) as compact JSON with sorted properties and
 *       map keys, so equal arguments give equal keys.</li>
 *   <li>With one argument the part is the value itself ({@code get_user(123)} → {@code user:123}); with
 *       several, each part escapes {@code \} and {@code :} with a backslash so {@code ("a:b","c")} and
 *       {@code ("a","b:c")} differ.</li>
 * </ul>
 */
public final class KeyDerivation {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, true)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
      .findAndAddModules()
      .build();

  private KeyDerivation() {
  }

  /** The key of a call with these arguments under {@code prefix}. */
  public static String key(String prefix, Object... args) {
    if (args == null || args.length == 0) {
      return prefix;
    }
    if (args.length == 1) {
      return prefix + ":" + part(args[0]);
    }
    StringBuilder sb = new StringBuilder(prefix);
    for (Object arg : args) {
      sb.append(':').append(escape(part(arg)));
    }
    return sb.toString();
  }

  /** One argument's text as described above. */
  public static String part(Object arg) {
    if (arg == null) {
      return "~null";
    }
    if (arg instanceof CharSequence || arg instanceof Number || arg instanceof Boolean || arg instanceof Character
        || arg instanceof Enum<?> || arg instanceof UUID || arg instanceof TemporalAccessor) {
      return arg.toString();
    }
    try {
      return JSON.writeValueAsString(arg);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot derive a cache key from an argument of type "
          + arg.getClass().getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  private static String escape(String s) {
    if (s.indexOf(':') < 0 && s.indexOf('\\') < 0) {
      return s;
    }
    return s.replace("\\", "\\\\").replace(":", "\\:");
  }
}
