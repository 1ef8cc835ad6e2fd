package dev.vigil.cache.redis;

import dev.vigil.cache.CacheException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's connection to Redis and its judgement of Redis's health.
 *
 * <p>Commands go through {@link #call}: while Redis is down they fail at once with
 * {@link RedisUnavailableException} instead of waiting, and a command that times out or finds the
 * connection gone marks Redis down. A named daemon thread probes a down Redis every
 * {@link RedisOptions#probeInterval()}; when it answers, {@link Events#onRecovered()} runs (replay of
 * writes made meanwhile, dropping of in-process entries) before commands flow again.
 *
 * <p>When asked to subscribe, the link also keeps the invalidation channel and <em>verifies</em> it: it
 * publishes a probe carrying this node's id and a nonce, and only when that probe comes back through
 * its own subscription is the channel trusted ({@link Events#onChannelVerified()}). Any disconnect of a
 * connection of this client, and any heartbeat probe that does not return in time, withdraws that trust
 * ({@link #channelVerified()} turns false), so the in-process level never answers from entries that could
 * have missed an invalidation.
 */
public final class RedisLink implements AutoCloseable {
  /** What the cache does when the link's state changes; called from Lettuce's and the link's threads. */
  public interface Events {
    /** Redis answers again; runs before commands are let through (replay pending work here). */
    void onRecovered();

    /** Called on every probe tick while Redis is up (finish work that raced with recovery here). */
    void onHealthy();

    /** The invalidation channel is proven live; drop in-process entries, then they may answer again. */
    void onChannelVerified();

    /** A message from the invalidation channel (possibly this node's own). */
    void onMessage(byte[] message);
  }

  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final byte PROBE = 'P';
  private static final byte MESSAGE = 'M';

  private final RedisOptions options;
  private final String nodeId;
  private final String channel;
  private final boolean subscribe;
  private final Events events;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final ScheduledExecutorService health;
  private final Object tickLock = new Object();
  private final AtomicLong outages = new AtomicLong();
  private final AtomicLong channelLosses = new AtomicLong();
  private final int heartbeatEveryTicks;

  private volatile Connections conns;
  private volatile boolean up;
  private volatile boolean verified;
  private volatile boolean closed;
  /** Whether a probe has failed while Redis was never up yet (reported once at WARN, then at DEBUG); under tickLock. */
  private boolean startFailureReported;
  private volatile Thread recoveringThread;
  private volatile long expectedNonce;
  private volatile boolean nonceReturned;
  private int ticksSinceHeartbeat;

  private record Connections(StatefulConnection<String, byte[]> data, RedisClusterCommands<String, byte[]> sync,
      RedisClusterAsyncCommands<String, byte[]> async, StatefulRedisPubSubConnection<String, byte[]> pubsub) {
  }

  /**
   * Creates the link; nothing connects until {@link #start()}.
   *
   * @param options where Redis is and how long to wait
   * @param nodeId this node's id, carried by probes and shown in client names
   * @param channel the invalidation channel
   * @param subscribe whether this node listens to the channel (it has an in-process level to keep fresh)
   * @param events the cache's reactions
   */
  public RedisLink(RedisOptions options, String nodeId, String channel, boolean subscribe, Events events) {
    this.options = Objects.requireNonNull(options, "options");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.subscribe = subscribe;
    this.events = Objects.requireNonNull(events, "events");
    this.heartbeatEveryTicks = (int) Math.max(1,
        options.heartbeatInterval().toMillis() / options.probeInterval().toMillis());
    Duration maxDelay = options.probeInterval();
    this.resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(1)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(10), maxDelay, 2, TimeUnit.MILLISECONDS))
        .build();
    TimeoutOptions timeouts = TimeoutOptions.builder().fixedTimeout(options.commandTimeout()).build();
    SocketOptions socket = SocketOptions.builder().connectTimeout(options.connectTimeout()).keepAlive(true).build();
    RedisEndpoint endpoint = options.endpoint();
    if (endpoint.mode() == RedisEndpoint.Mode.CLUSTER) {
      RedisClusterClient cluster = RedisClusterClient.create(resources, withName(endpoint.uris()));
      cluster.setOptions(ClusterClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .timeoutOptions(timeouts)
          .socketOptions(socket)
          .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
          .build());
      this.client = cluster;
    } else {
      RedisClient standalone = RedisClient.create(resources);
      standalone.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .timeoutOptions(timeouts)
          .socketOptions(socket)
          .build());
      this.client = standalone;
    }
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        connectionLost(connection);
      }
    });
    this.health = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-cache-redis-health-" + nodeId);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Tries to connect once (waiting at most the connect timeout), then probes in the background. Never
   * throws for an unreachable Redis: the link simply starts down.
   */
  public void start() {
    tick();
    long every = options.probeInterval().toMillis();
    health.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  /** Whether Redis answered the last command or probe. */
  public boolean isUp() {
    return up;
  }

  /** Whether the invalidation channel is verified live (always false when not subscribing). */
  public boolean channelVerified() {
    return verified;
  }

  /** Times Redis became unreachable since start. */
  public long outages() {
    return outages.get();
  }

  /** Times the invalidation channel lost its verified state. */
  public long channelLosses() {
    return channelLosses.get();
  }

  /** The endpoint's mode as shown in stats. */
  public String mode() {
    return options.endpoint().mode().label();
  }

  /** The endpoint, without credentials. */
  public RedisEndpoint endpoint() {
    return options.endpoint();
  }

  /**
   * Runs a synchronous command.
   *
   * @param what the operation and key, for error messages
   * @throws RedisUnavailableException when Redis is down or does not answer in time
   * @throws CacheException when Redis answers with an error (permissions, wrong type)
   */
  public <T> T call(String what, Function<RedisClusterCommands<String, byte[]>, T> op) {
    Connections c = usable(what);
    try {
      return op.apply(c.sync());
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
  }

  /**
   * Sends commands without waiting between them (pipelining), then waits for all: at most the command
   * timeout plus 0.2 ms per command, so a large batch on a busy server is not taken for an outage.
   *
   * @param what the operation, for error messages
   * @param op issues the commands and returns their futures
   * @return the results in order
   */
  public <T> List<T> pipeline(String what, Function<RedisClusterAsyncCommands<String, byte[]>,
      List<? extends RedisFuture<? extends T>>> op) {
    Connections c = usable(what);
    List<? extends RedisFuture<? extends T>> futures;
    try {
      futures = op.apply(c.async());
    } catch (RuntimeException e) {
      throw translate(what, e);
    }
    long deadline = System.nanoTime() + options.commandTimeout().toNanos() + futures.size() * 200_000L;
    List<T> results = new ArrayList<>(futures.size());
    for (RedisFuture<? extends T> f : futures) {
      try {
        results.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (ExecutionException e) {
        throw translate(what, e.getCause() instanceof RuntimeException r ? r : new RedisException(e.getCause()));
      } catch (TimeoutException e) {
        throw translate(what, new RedisCommandTimeoutException("pipeline timed out"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RedisUnavailableException(what + ": interrupted", e);
      }
    }
    return results;
  }

  /**
   * One SCAN step over every master: standalone cursors are Redis's own; cluster cursors are
   * {@code <master index>:<cursor>} over the masters sorted by node id.
   *
   * @param cursor {@code "0"} to start
   * @param match a SCAN MATCH pattern (already escaped)
   * @param count the COUNT hint
   */
  public ScanPage scan(String cursor, String match, int count) {
    ScanArgs args = ScanArgs.Builder.matches(match).limit(count);
    if (options.endpoint().mode() != RedisEndpoint.Mode.CLUSTER) {
      KeyScanCursor<String> page = call("SCAN " + match, cmd -> cmd.scan(ScanCursor.of(cursor), args));
      return new ScanPage(page.getKeys(), page.isFinished() ? "0" : page.getCursor());
    }
    int node = 0;
    String nodeCursor = "0";
    if (!"0".equals(cursor)) {
      int colon = cursor.indexOf(':');
      try {
        node = Integer.parseInt(cursor.substring(0, colon));
        nodeCursor = cursor.substring(colon + 1);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("malformed cluster scan cursor '" + cursor + "'", e);
      }
    }
    int masterIndex = node;
    String start = nodeCursor;
    Connections c = usable("SCAN " + match);
    StatefulRedisClusterConnection<String, byte[]> cluster = (StatefulRedisClusterConnection<String, byte[]>) c.data();
    List<String> masters = new ArrayList<>();
    for (RedisClusterNode n : cluster.getPartitions()) {
      if (n.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        masters.add(n.getNodeId());
      }
    }
    masters.sort(Comparator.naturalOrder());
    if (masterIndex >= masters.size()) {
      return new ScanPage(List.of(), "0");
    }
    String nodeId = masters.get(masterIndex);
    KeyScanCursor<String> page;
    try {
      StatefulRedisConnection<String, byte[]> nodeConn = cluster.getConnection(nodeId);
      page = nodeConn.sync().scan(ScanCursor.of(start), args);
    } catch (RuntimeException e) {
      throw translate("SCAN " + match + " on cluster node " + nodeId, e);
    }
    String next;
    if (!page.isFinished()) {
      next = masterIndex + ":" + page.getCursor();
    } else if (masterIndex + 1 < masters.size()) {
      next = (masterIndex + 1) + ":0";
    } else {
      next = "0";
    }
    return new ScanPage(page.getKeys(), next);
  }

  /**
   * Publishes a message on the invalidation channel.
   *
   * @throws RedisUnavailableException when Redis is down
   */
  public void publish(byte[] message) {
    byte[] framed = new byte[message.length + 1];
    framed[0] = MESSAGE;
    System.arraycopy(message, 0, framed, 1, message.length);
    call("PUBLISH " + channel, cmd -> cmd.publish(channel, framed));
  }

  /** Marks Redis down because of a failure seen outside {@link #call} (used by the cache). */
  public void markDown(Throwable cause) {
    boolean wasUp;
    synchronized (this) {
      wasUp = up;
      up = false;
    }
    if (wasUp) {
      outages.incrementAndGet();
      withdrawTrust();
      LOG.warn("Redis {} unreachable, serving from memory until it answers again: {}", options.endpoint(),
          cause == null ? "disconnected" : cause.toString());
      wake();
    }
  }

  private Connections usable(String what) {
    Connections c = conns;
    if (c == null || !(up || recoveringThread == Thread.currentThread())) {
      throw new RedisUnavailableException(what + ": Redis " + options.endpoint() + " is down", null);
    }
    return c;
  }

  private RuntimeException translate(String what, RuntimeException e) {
    if (e instanceof RedisUnavailableException u) {
      return u;
    }
    if (e instanceof RedisCommandInterruptedException) {
      Thread.currentThread().interrupt();
      return new RedisUnavailableException(what + ": interrupted", e);
    }
    if (e instanceof RedisCommandExecutionException x && !transientServerError(x.getMessage())) {
      return new CacheException(what + " failed on Redis " + options.endpoint() + ": " + x.getMessage(), x);
    }
    if (e instanceof RedisException) {
      markDown(e);
      return new RedisUnavailableException(what + ": Redis " + options.endpoint() + " did not answer: " + e, e);
    }
    return e;
  }

  private static boolean transientServerError(String message) {
    if (message == null) {
      return false;
    }
    return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("MASTERDOWN")
        || message.startsWith("CLUSTERDOWN") || message.startsWith("TRYAGAIN") || message.startsWith("READONLY");
  }

  private void connectionLost(RedisChannelHandler<?, ?> connection) {
    if (closed) {
      return;
    }
    withdrawTrust();
    Connections c = conns;
    if (c != null && connection == c.data()) {
      markDown(null);
    }
    wake();
  }

  private void withdrawTrust() {
    if (!subscribe) {
      return;
    }
    boolean was;
    synchronized (this) {
      was = verified;
      verified = false;
    }
    if (was) {
      channelLosses.incrementAndGet();
    }
  }

  private void wake() {
    if (closed) {
      return;
    }
    try {
      health.execute(this::tick);
    } catch (RejectedExecutionException e) {
      LOG.debug("health thread already stopped", e);
    }
  }

  private void tick() {
    synchronized (tickLock) {
      if (closed) {
        return;
      }
      try {
        if (conns == null) {
          conns = connect();
        }
        if (!up) {
          conns.sync().ping();
          recoveringThread = Thread.currentThread();
          try {
            events.onRecovered();
          } finally {
            recoveringThread = null;
          }
          synchronized (this) {
            up = true;
          }
          LOG.info("Redis {} answers again", options.endpoint());
        }
        if (subscribe) {
          checkChannel();
        }
        events.onHealthy();
      } catch (RuntimeException e) {
        if (up && (e instanceof RedisException || e instanceof RedisUnavailableException)) {
          markDown(e);
        }
        if (!up && outages.get() == 0 && !startFailureReported) {
          startFailureReported = true;
          LOG.warn("Redis {} not reachable yet, serving from memory and retrying every {} ms: {}", options.endpoint(),
              options.probeInterval().toMillis(), e.toString());
        } else {
          LOG.debug("Redis {} probe failed: {}", options.endpoint(), e.toString());
        }
      }
    }
  }

  private void checkChannel() {
    if (!verified) {
      sendProbe();
      return;
    }
    if (++ticksSinceHeartbeat < heartbeatEveryTicks) {
      return;
    }
    ticksSinceHeartbeat = 0;
    if (!nonceReturned) {
      LOG.warn("invalidation channel on Redis {} did not return a heartbeat; suspending the in-process level",
          options.endpoint());
      withdrawTrust();
    }
    sendProbe();
  }

  private void sendProbe() {
    long nonce = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    nonceReturned = false;
    expectedNonce = nonce;
    byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
    byte[] probe = ByteBuffer.allocate(1 + 8 + id.length).put(PROBE).putLong(nonce).put(id).array();
    call("PUBLISH probe " + channel, cmd -> cmd.publish(channel, probe));
  }

  private void received(byte[] message) {
    if (message.length == 0) {
      return;
    }
    if (message[0] == MESSAGE) {
      byte[] body = new byte[message.length - 1];
      System.arraycopy(message, 1, body, 0, body.length);
      events.onMessage(body);
      return;
    }
    if (message[0] != PROBE || message.length < 9) {
      return;
    }
    ByteBuffer buf = ByteBuffer.wrap(message);
    buf.get();
    long nonce = buf.getLong();
    String from = new String(message, 9, message.length - 9, StandardCharsets.UTF_8);
    if (!nodeId.equals(from) || nonce != expectedNonce) {
      return;
    }
    nonceReturned = true;
    if (!verified && up) {
      events.onChannelVerified();
      synchronized (this) {
        verified = true;
      }
    }
  }

  private Connections connect() {
    RedisEndpoint endpoint = options.endpoint();
    StatefulConnection<String, byte[]> data = null;
    try {
      StatefulRedisPubSubConnection<String, byte[]> pubsub = null;
      RedisClusterCommands<String, byte[]> sync;
      RedisClusterAsyncCommands<String, byte[]> async;
      if (client instanceof RedisClusterClient cluster) {
        StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
        c.setTimeout(options.commandTimeout());
        data = c;
        sync = c.sync();
        async = c.async();
        if (subscribe) {
          pubsub = cluster.connectPubSub(CODEC);
        }
      } else {
        RedisClient standalone = (RedisClient) client;
        StatefulRedisConnection<String, byte[]> c = standalone.connect(CODEC, named(endpoint.uris().get(0)));
        c.setTimeout(options.commandTimeout());
        data = c;
        sync = c.sync();
        async = c.async();
        if (subscribe) {
          pubsub = standalone.connectPubSub(CODEC, named(endpoint.uris().get(0)));
        }
      }
      if (pubsub != null) {
        pubsub.setTimeout(options.commandTimeout());
        pubsub.addListener(new RedisPubSubAdapter<>() {
          @Override
          public void message(String ch, byte[] message) {
            received(message);
          }
        });
        pubsub.sync().subscribe(channel);
      }
      LOG.info("connected to Redis {} as node {}", endpoint, nodeId);
      return new Connections(data, sync, async, pubsub);
    } catch (RuntimeException e) {
      if (data != null) {
        data.closeAsync();
      }
      throw e;
    }
  }

  private RedisURI named(RedisURI uri) {
    RedisURI.Builder b = RedisURI.builder(uri);
    if (!uri.getSentinels().isEmpty()) {
      // Lettuce's copy-builder leaves out the Sentinels and the master id; without them a Sentinel URI cannot be built
      b.withSentinelMasterId(uri.getSentinelMasterId());
      uri.getSentinels().forEach(b::withSentinel);
    }
    RedisURI copy = b.build();
    copy.setClientName("vigil-" + nodeId);
    return copy;
  }

  private List<RedisURI> withName(List<RedisURI> uris) {
    List<RedisURI> out = new ArrayList<>();
    for (RedisURI u : uris) {
      out.add(named(u));
    }
    return out;
  }

  /** Closes the connections, the client and the health thread. */
  @Override
  public void close() {
    closed = true;
    health.shutdownNow();
    synchronized (tickLock) {
      Connections c = conns;
      conns = null;
      up = false;
      if (c != null) {
        if (c.pubsub() != null) {
          c.pubsub().close();
        }
        c.data().close();
      }
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
