package dev.vigil.server.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenAPI 3 description of the API, built from the route table with each route's role. */
public final class OpenApiDocument {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

  private OpenApiDocument() {
  }

  /** The document as a JSON-ready map. */
  public static Map<String, Object> of(Api api, String version) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (ApiRoute route : api.routes()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>());
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("summary", route.summary());
      op.put("x-vigil-role", route.isPublic() ? "public" : route.role().label());
      op.put("security", route.isPublic() ? List.of() : List.of(Map.of("bearer", List.of())));
      List<Object> params = new ArrayList<>();
      Matcher m = PATH_PARAM.matcher(route.path());
      while (m.find()) {
        params.add(Map.of("name", m.group(1), "in", "path", "required", true, "schema", Map.of("type", "string")));
      }
      if (!params.isEmpty()) {
        op.put("parameters", params);
      }
      Map<String, Object> responses = new LinkedHashMap<>();
      responses.put("200", Map.of("description", "OK", "content", Map.of("application/json", Map.of())));
      responses.put("400", Map.of("description", "bad input", "content", errorContent()));
      if (!route.isPublic()) {
        responses.put("401", Map.of("description", "no or bad token", "content", errorContent()));
        responses.put("403", Map.of("description", "role " + route.role().label() + " needed", "content",
            errorContent()));
      }
      responses.put("429", Map.of("description", "rate limited; see Retry-After", "content", errorContent()));
      op.put("responses", responses);
      item.put(route.method().name().toLowerCase(Locale.ROOT), op);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    doc.put("info", Map.of("title", "Vigil API", "version", version));
    doc.put("paths", paths);
    doc.put("components", Map.of(
        "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
        "schemas", Map.of("Error", Map.of("type", "object", "properties", Map.of("error", Map.of("type", "object",
            "properties", Map.of("code", Map.of("type", "string"), "message", Map.of("type", "string"))))))));
    return doc;
  }

  private static Map<String, Object> errorContent() {
    return Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
  }
}
