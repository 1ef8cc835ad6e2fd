package dev.vigil.cache.testing;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct connections to every master of the Redis under test, for what a test does behind the cache's
 * back: count keys by SCAN, create and drop ACL users, kill a client, pause the server.
 */
public final class RedisAdmin implements AutoCloseable {
  private final RedisClient client = RedisClient.create();
  private final List<StatefulRedisConnection<String, String>> nodes = new ArrayList<>();

  /** Connects to each {@code host:port} (database {@code db}). */
  public RedisAdmin(int db, List<Integer> ports) {
    for (int port : ports) {
      RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(port).withDatabase(db)
          .withTimeout(Duration.ofSeconds(10)).build();
      nodes.add(client.connect(uri));
    }
  }

  /** Each master's commands. */
  public List<RedisCommands<String, String>> nodes() {
    return nodes.stream().map(StatefulRedisConnection::sync).toList();
  }

  /** Keys matching a SCAN pattern on all masters. */
  public long count(String pattern) {
    long n = 0;
    for (RedisCommands<String, String> cmd : nodes()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = cmd.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
        n += page.getKeys().size();
        cursor = page;
      } while (!cursor.isFinished());
    }
    return n;
  }

  /** Deletes keys matching a SCAN pattern on all masters (test clean-up). */
  public void deleteMatching(String pattern) {
    for (RedisCommands<String, String> cmd : nodes()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = cmd.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
        for (String k : page.getKeys()) {
          cmd.unlink(k);
        }
        cursor = page;
      } while (!cursor.isFinished());
    }
  }

  /** Creates an ACL user with every command except KEYS, on every master. */
  public void createUserWithoutKeys(String user, String password) {
    for (RedisCommands<String, String> cmd : nodes()) {
      cmd.aclSetuser(user, AclSetuserArgs.Builder.on().addPassword(password).allKeys().allChannels()
          .allCommands().removeCommand(io.lettuce.core.protocol.CommandType.KEYS));
    }
  }

  /** Deletes an ACL user on every master. */
  public void deleteUser(String user) {
    for (RedisCommands<String, String> cmd : nodes()) {
      cmd.aclDeluser(user);
    }
  }

  /** Kills the pub/sub connections of a cache node (named {@code vigil-<nodeId>}); returns how many. */
  public int killPubSubOf(String nodeId) {
    int killed = 0;
    for (RedisCommands<String, String> cmd : nodes()) {
      for (String line : cmd.clientList().split("\n")) {
        if (line.contains(" name=vigil-" + nodeId + " ") && !line.contains(" sub=0 ")) {
          String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
          killed += cmd.clientKill(KillArgs.Builder.id(Long.parseLong(id))).intValue();
        }
      }
    }
    return killed;
  }

  /** Pauses every client of every master for {@code millis}. */
  public void pauseAll(long millis) {
    for (RedisCommands<String, String> cmd : nodes()) {
      cmd.clientPause(millis);
    }
  }

  @Override
  public void close() {
    nodes.forEach(StatefulRedisConnection::close);
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
