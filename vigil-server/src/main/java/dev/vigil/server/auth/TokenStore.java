package dev.vigil.server.auth;

import dev.vigil.core.store.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API tokens in the state store. A token reads {@code vgl_<id>_<secret>}: the id finds the row, and
 * only the SHA-256 of the whole token is stored and compared in constant time. The secret is shown
 * once, when the token is created.
 */
public final class TokenStore {
  private static final Pattern FORM = Pattern.compile("vgl_([a-z0-9]{10})_([A-Za-z0-9_-]{43})");
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._@:()-]{1,64}");
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final StateStore store;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Creates the store and migrates its table. */
  public TokenStore(StateStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    store.migrate("auth");
  }

  /**
   * A newly created token with its secret, which exists nowhere else.
   *
   * @param info the listed form
   * @param token the bearer token to hand to its user
   */
  public record IssuedToken(TokenInfo info, String token) {
    /** Never prints the secret. */
    @Override
    public String toString() {
      return "IssuedToken[" + info + "]";
    }
  }

  /**
   * Creates a token.
   *
   * @throws IllegalArgumentException when the name is not 1–64 letters, digits, spaces or {@code ._@:-}
   */
  public IssuedToken create(String name, Role role) {
    return create(name, role, issued -> {
    });
  }

  /**
   * Creates a token and runs {@code beforeCommit} (e.g. writing its audit record) inside the same
   * transaction: when it throws, the token is not created.
   *
   * @throws IllegalArgumentException when the name is not 1–64 letters, digits, spaces or {@code ._@:-}
   */
  public IssuedToken create(String name, Role role, Consumer<IssuedToken> beforeCommit) {
    Objects.requireNonNull(role, "role");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("token name must be 1-64 letters, digits, spaces or ._@:()- characters");
    }
    StringBuilder id = new StringBuilder(10);
    for (int i = 0; i < 10; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = "vgl_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Instant now = clock.instant();
    IssuedToken issued = new IssuedToken(new TokenInfo(id.toString(), name, role, now, null), token);
    store.jdbi().useTransaction(h -> {
      h.createUpdate(
              "INSERT INTO vigil_token(id, name, role, hash, created_at) VALUES (:id, :name, :role, :hash, :created)")
          .bind("id", id.toString()).bind("name", name).bind("role", role.label()).bind("hash", hash(token))
          .bind("created", now.toString()).execute();
      beforeCommit.accept(issued);
    });
    return issued;
  }

  /** The active token matching {@code bearer}, or empty for anything else (malformed, unknown, revoked). */
  public Optional<TokenInfo> authenticate(String bearer) {
    if (bearer == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(bearer);
    if (!m.matches()) {
      return Optional.empty();
    }
    String id = m.group(1);
    Optional<Row> row = store.jdbi().withHandle(h -> h.createQuery(
            "SELECT id, name, role, hash, created_at, revoked_at FROM vigil_token WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> new Row(rs.getString("hash"), info(rs))).findOne());
    if (row.isEmpty()) {
      return Optional.empty();
    }
    byte[] expected = row.get().hash().getBytes(StandardCharsets.US_ASCII);
    byte[] actual = hash(bearer).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, actual) || !row.get().info().active()) {
      return Optional.empty();
    }
    return Optional.of(row.get().info());
  }

  /** All tokens, newest first, without secrets. */
  public List<TokenInfo> list() {
    return store.jdbi().withHandle(h -> h.createQuery(
            "SELECT id, name, role, hash, created_at, revoked_at FROM vigil_token ORDER BY created_at DESC, id")
        .map((rs, ctx) -> info(rs)).list());
  }

  /**
   * Revokes a token by id.
   *
   * @return false when no active token has that id
   */
  public boolean revoke(String id) {
    return store.jdbi().withHandle(h -> h.createUpdate(
            "UPDATE vigil_token SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
        .bind("now", clock.instant().toString()).bind("id", id).execute()) == 1;
  }

  /**
   * The ids of every revoked token. The authenticator reads them every few seconds or faster for as long
   * as the server runs, so this one query is plain JDBC: a JDBI handle per call cost an idle server more
   * CPU than the query itself.
   *
   * @throws IllegalStateException naming the store when it cannot be read
   */
  public List<String> revokedIds() {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement q = c.prepareStatement("SELECT id FROM vigil_token WHERE revoked_at IS NOT NULL");
        ResultSet rs = q.executeQuery()) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read revoked tokens from the store " + store + ": " + e.getMessage(), e);
    }
  }

  /** The store's {@link StateStore#changeStamp() change stamp}: empty when only a query can tell. */
  public OptionalLong changeStamp() {
    return store.changeStamp();
  }

  /** Whether an active admin token exists. */
  public boolean hasActiveAdmin() {
    return store.jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM vigil_token WHERE role = 'admin' AND revoked_at IS NULL")
        .mapTo(Integer.class).one()) > 0;
  }

  private static TokenInfo info(ResultSet rs) throws SQLException {
    String revoked = rs.getString("revoked_at");
    return new TokenInfo(rs.getString("id"), rs.getString("name"), Role.parse(rs.getString("role")),
        Instant.parse(rs.getString("created_at")), revoked == null ? null : Instant.parse(revoked));
  }

  private static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private record Row(String hash, TokenInfo info) {
  }
}
