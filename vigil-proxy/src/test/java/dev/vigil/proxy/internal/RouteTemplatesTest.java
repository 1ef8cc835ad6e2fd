package dev.vigil.proxy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Request paths become bounded route templates: configured ones first, then identifiers as {id}. */
class RouteTemplatesTest {
  private final RouteTemplates templates = new RouteTemplates(List.of("/api/projects/{project}/tasks"));

  @Test
  void identifiersBecomeIdAndWordsStay() {
    assertThat(templates.template("/api/orders/42")).isEqualTo("/api/orders/{id}");
    assertThat(templates.template("/api/orders/-7/lines")).isEqualTo("/api/orders/{id}/lines");
    assertThat(templates.template("/u/123e4567-e89b-12d3-a456-426614174000")).isEqualTo("/u/{id}");
    assertThat(templates.template("/blob/9f86d081884c7d659a2feaa0c55ad015")).isEqualTo("/blob/{id}");
    assertThat(templates.template("/blob/deadbeefdeadbeefcafe")).isEqualTo("/blob/deadbeefdeadbeefcafe");
    assertThat(templates.template("/blob/9F86D081884C7D65")).isEqualTo("/blob/{id}");
    assertThat(templates.template("/x/-")).isEqualTo("/x/-");
    assertThat(templates.template("/x/١٢٣")).isEqualTo("/x/١٢٣");
    assertThat(templates.template("/x/123e4567-e89b-12d3-a456-42661417400g")).isEqualTo(
        "/x/123e4567-e89b-12d3-a456-42661417400g");
    assertThat(templates.template("/api/projects/7/tasks")).isEqualTo("/api/projects/{project}/tasks");
    assertThat(templates.template("/reports/")).isEqualTo("/reports/");
    assertThat(templates.template("")).isEqualTo("/");
  }
}
