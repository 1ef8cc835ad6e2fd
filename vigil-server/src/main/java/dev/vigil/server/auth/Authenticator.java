package dev.vigil.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves bearer tokens to their {@link TokenInfo}, remembering good answers for a few seconds so
 * that a busy client does not cost a store query per request. Revocation is never cached: a token
 * revoked through this server stops working at once ({@link #forget}), and one revoked elsewhere (the
 * CLI, another server sharing a PostgreSQL store) within {@link #POLL} — the set of revoked ids is
 * read from the store that often. On SQLite the store's files are looked at every {@link #FILE_POLL}
 * instead, and the read is skipped while they are unchanged ({@link TokenStore#changeStamp()}) but made
 * at least every {@link #FULL_READ}, since file times are coarse. Listeners ({@link #onRevoked}) hear
 * of every revocation, so open streams of a revoked token end too.
 */
public final class Authenticator implements AutoCloseable {
  /** How long a good answer is remembered. */
  public static final Duration TTL = Duration.ofSeconds(10);
  /** How often the store's revocations are read. */
  public static final Duration POLL = Duration.ofMillis(500);
  /**
   * How often a store whose files tell of its changes (SQLite, shared only by processes of one host, such
   * as the CLI) is checked: a look at its files, then a read only when they changed.
   */
  public static final Duration FILE_POLL = Duration.ofSeconds(1);
  /** The longest time between two reads of the revoked ids when the store's files look unchanged. */
  public static final Duration FULL_READ = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  private final TokenStore tokens;
  // maintenance runs on the calling thread: cheap, and no hand-off to the common pool on a hot path
  private final Cache<String, TokenInfo> recent = Caffeine.newBuilder()
      .maximumSize(10_000).expireAfterWrite(TTL).executor(Runnable::run).build();
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();
  private final List<Consumer<Collection<String>>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;
  // touched by the poller thread only
  private OptionalLong lastStamp = OptionalLong.empty();
  private long lastReadNanos;

  /** Creates the authenticator over {@code tokens}, following its revocations as the class describes. */
  public Authenticator(TokenStore tokens) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    lastStamp = tokens.changeStamp();
    lastReadNanos = System.nanoTime();
    revoked.addAll(tokens.revokedIds());
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-token-revocations");
      t.setDaemon(true);
      return t;
    });
    long every = (lastStamp.isPresent() ? FILE_POLL : POLL).toMillis();
    poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
  }

  /** The active token for {@code bearer}, or empty. */
  public Optional<TokenInfo> authenticate(String bearer) {
    if (bearer == null || bearer.length() > 200) {
      return Optional.empty();
    }
    TokenInfo known = recent.getIfPresent(bearer);
    if (known != null) {
      if (!revoked.contains(known.id())) {
        return Optional.of(known);
      }
      recent.invalidate(bearer);
      return Optional.empty();
    }
    Optional<TokenInfo> found = tokens.authenticate(bearer);
    if (found.isPresent()) {
      recent.put(bearer, found.get());
      if (revoked.contains(found.get().id())) { // revoked while the store was read
        recent.invalidate(bearer);
        return Optional.empty();
      }
    }
    return found;
  }

  /** Forgets the token with {@code id} at once (it was revoked) and tells the listeners. */
  public void forget(String id) {
    revoked.add(id);
    recent.asMap().values().removeIf(info -> info.id().equals(id));
    tell(List.of(id));
  }

  /** Tells {@code listener} the ids of tokens revoked from now on (on this server or in the store). */
  public void onRevoked(Consumer<Collection<String>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private void poll() {
    try {
      // the stamp is taken before the read, so a commit between the two is seen at the next poll
      OptionalLong stamp = tokens.changeStamp();
      long now = System.nanoTime();
      if (stamp.isPresent() && stamp.equals(lastStamp) && now - lastReadNanos < FULL_READ.toNanos()) {
        return;
      }
      lastStamp = stamp;
      lastReadNanos = now;
      Set<String> fresh = new HashSet<>(tokens.revokedIds());
      fresh.removeAll(revoked);
      if (!fresh.isEmpty()) {
        revoked.addAll(fresh);
        recent.asMap().values().removeIf(info -> fresh.contains(info.id()));
        tell(fresh);
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read token revocations from the store; retrying in {} ms", POLL.toMillis(), e);
    }
  }

  private void tell(Collection<String> ids) {
    for (Consumer<Collection<String>> l : listeners) {
      try {
        l.accept(ids);
      } catch (RuntimeException e) {
        LOG.error("a revocation listener failed for tokens {}", ids, e);
      }
    }
  }

  /** Stops reading revocations. */
  @Override
  public void close() {
    poller.shutdownNow();
  }
}
