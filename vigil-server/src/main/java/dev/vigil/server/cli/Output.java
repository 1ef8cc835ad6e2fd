package dev.vigil.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.server.http.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints command results as an aligned table, JSON, or a one-line summary ({@code --format}). */
public final class Output {
  /** The output formats of data-printing commands. */
  public enum Format { TABLE, JSON, SUMMARY }

  private Output() {
  }

  /** Prints {@code rows} under {@code headers} with columns padded to their widest cell. */
  public static void table(PrintWriter out, List<String> headers, List<List<String>> rows) {
    int[] width = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], String.valueOf(row.get(i)).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = String.valueOf(row.get(i));
        sb.append(cell);
        if (i < row.size() - 1) {
          sb.append(" ".repeat(width[i] - cell.length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
    out.flush();
  }

  /** Prints {@code value} as indented JSON. */
  public static void json(PrintWriter out, Object value) {
    try {
      out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print result as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
