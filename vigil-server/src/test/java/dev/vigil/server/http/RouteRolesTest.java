package dev.vigil.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.server.auth.Role;
import io.javalin.http.HandlerType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routes name the set of roles they allow; pages write {@code next_cursor} one way. */
class RouteRolesTest {
  @Test
  void aRouteBuiltFromItsLeastRoleAllowsThatRoleAndEveryRoleAbove() {
    ApiRoute route = new ApiRoute(HandlerType.POST, "/api/x", Role.OPERATOR, "x", ctx -> { });
    assertThat(route.roles()).containsExactlyInAnyOrder(Role.OPERATOR, Role.ADMIN);
    assertThat(route.role()).isEqualTo(Role.OPERATOR);
    assertThat(route.allows(Role.VIEWER)).isFalse();
    assertThat(route.allows(Role.ADMIN)).isTrue();
  }

  @Test
  void aRouteMayAllowAnySetOfRoles() {
    ApiRoute route = new ApiRoute(HandlerType.GET, "/api/y", EnumSet.of(Role.VIEWER, Role.ADMIN), "y", ctx -> { });
    assertThat(route.allows(Role.OPERATOR)).isFalse();
    assertThat(route.allows(Role.VIEWER)).isTrue();
    assertThat(route.role()).isEqualTo(Role.VIEWER);
    ApiRoute open = new ApiRoute(HandlerType.GET, "/api/z", (Role) null, "z", ctx -> { });
    assertThat(open.isPublic()).isTrue();
    assertThat(open.role()).isNull();
  }

  @Test
  void aTokenIsGrantedItsRoleAndEveryRoleBelow() {
    assertThat(Role.VIEWER.granted()).containsExactly(Role.VIEWER);
    assertThat(Role.ADMIN.granted()).containsExactly(Role.VIEWER, Role.OPERATOR, Role.ADMIN);
    assertThat(Role.OPERATOR.andAbove()).containsExactly(Role.OPERATOR, Role.ADMIN);
  }

  @Test
  void aPageWritesItsItemsNextCursorAndTotalWhenKnown() {
    assertThat(new Page<>(List.of(1, 2), "2", 5).body("n"))
        .containsExactly(Map.entry("n", List.of(1, 2)), Map.entry("next_cursor", "2"), Map.entry("total", 5));
    Map<String, Object> body = Page.of(List.of("a"), null).body("keys");
    assertThat(body).containsEntry("next_cursor", null).doesNotContainKey("total");
  }
}
