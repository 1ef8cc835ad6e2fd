package dev.vigil.logging.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.logging.LogFields;
import dev.vigil.logging.LogFiles;
import dev.vigil.logging.LogLevel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the most recent records at or above a level back from an application's log files, newest
 * first (for the dashboard's "recent errors" panel). ERROR and CRITICAL are read from
 * {@code <app>_errors.log}, lower levels from {@code <app>_debug.log} when it exists and the level
 * is DEBUG or TRACE, else from {@code <app>.log}, each with its rotated files. JSON and plain-text
 * files are both understood; lines that are neither (a torn last line) are counted, not returned.
 */
public final class RecentRecords {
  /** Most bytes read for one query, so a rare level over huge logs cannot stall the server. */
  public static final long MAX_SCAN_BYTES = 64L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
  };
  private static final Pattern PLAIN = Pattern.compile(
      "^(\\S+) (TRACE|DEBUG|INFO|WARNING|ERROR|CRITICAL) *\\[(.*?)\\] (\\S+)(?: \\{(.*?)\\})? - (.*)$");

  private RecentRecords() {
  }

  /**
   * What a query found.
   *
   * @param records the records, newest first
   * @param more whether older matching records exist beyond these
   * @param skippedLines lines that were not records (torn or foreign)
   * @param truncated whether the scan stopped at {@link #MAX_SCAN_BYTES}
   */
  public record Result(List<Map<String, Object>> records, boolean more, int skippedLines, boolean truncated) {
  }

  /**
   * The newest records at or above {@code min}, after skipping the newest {@code skip} of them.
   *
   * @param limit most records returned
   * @throws UncheckedIOException naming the file when one cannot be read
   */
  public static Result read(LogFiles files, LogLevel min, int skip, int limit) {
    if (skip < 0 || limit < 1) {
      throw new IllegalArgumentException("skip must be >= 0 and limit >= 1, were " + skip + " and " + limit);
    }
    Path family = min.ordinal() >= LogLevel.ERROR.ordinal() ? files.errors()
        : min.ordinal() <= LogLevel.DEBUG.ordinal() && !LogFiles.generations(files.debug()).isEmpty() ? files.debug()
        : files.main();
    List<Map<String, Object>> out = new ArrayList<>();
    int seen = 0;
    int skipped = 0;
    long scanned = 0;
    for (Path file : LogFiles.generations(family)) {
      try (ReverseLines lines = new ReverseLines(file)) {
        List<String> continuation = new ArrayList<>();
        for (String line = lines.previous(); line != null; line = lines.previous()) {
          if (scanned + lines.bytesRead() > MAX_SCAN_BYTES) {
            return new Result(out, true, skipped, true);
          }
          Map<String, Object> record = parse(line, continuation);
          if (record == null) {
            if (!line.startsWith("\t")) {
              skipped++;
            }
            continue;
          }
          LogLevel level = LogLevel.find(String.valueOf(record.get(LogFields.LEVEL))).orElse(null);
          if (level == null || !min.admits(level)) {
            continue;
          }
          if (seen++ < skip) {
            continue;
          }
          if (out.size() == limit) {
            return new Result(out, true, skipped, false);
          }
          out.add(record);
        }
        scanned += lines.bytesRead();
      } catch (FileNotFoundException e) {
        if (Files.exists(file)) {
          throw new UncheckedIOException("cannot open log file " + file.toAbsolutePath(), e);
        }
        // rotated away between listing and opening: its records moved to the next generation, read next
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read log file " + file.toAbsolutePath(), e);
      }
    }
    return new Result(out, false, skipped, false);
  }

  /**
   * Parses one line read backwards. Plain-text stack trace lines (starting with a tab) come before
   * their record's first line and are gathered in {@code continuation} until it appears.
   */
  private static Map<String, Object> parse(String line, List<String> continuation) {
    if (line.startsWith("{")) {
      continuation.clear();
      try {
        return JSON.readValue(line, MAP);
      } catch (JsonProcessingException e) {
        return null;
      }
    }
    if (line.startsWith("\t")) {
      continuation.add(line.substring(1));
      return null;
    }
    Matcher m = PLAIN.matcher(line);
    if (!m.matches()) {
      continuation.clear();
      return null;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put(LogFields.TIMESTAMP, m.group(1));
    r.put(LogFields.LEVEL, m.group(2));
    r.put(LogFields.THREAD, m.group(3));
    r.put(LogFields.LOGGER, m.group(4));
    if (m.group(5) != null) {
      r.put("context", m.group(5));
    }
    r.put(LogFields.MESSAGE, m.group(6));
    if (!continuation.isEmpty()) {
      List<String> trace = new ArrayList<>(continuation);
      Collections.reverse(trace);
      r.put(LogFields.EXCEPTION, Map.of("traceback", trace));
      continuation.clear();
    }
    return r;
  }
}
