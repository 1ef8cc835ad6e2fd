package dev.vigil.monitor.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the memory and CPU limits and usage of the cgroup this process runs in, for cgroup v2 (unified)
 * and v1 hierarchies. Locates the cgroup directories once from {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo}, then reads the control files in {@link #read()}.
 *
 * <p>All paths are resolved under a root directory, {@code /} in production, so that tests can lay out
 * the files of a limited container in a temporary directory.
 */
public final class CgroupReader {
  /** v1 writes "no limit" as a huge page-aligned number; anything at or above 2^60 is treated as none. */
  private static final long V1_UNLIMITED = 1L << 60;

  private final Path root;
  private final int version;
  private final Path memoryDir;
  private final Path cpuDir;
  private final Path cpuacctDir;
  private Limits limits;
  private long limitsReadAt;

  /** How long read limits are used before they are read again. */
  public static final Duration LIMITS_REFRESH = Duration.ofMinutes(1);

  /** The memory limit in bytes and the CPU quota in cores; null when not set. */
  private record Limits(Long memory, Double cores) {
  }

  /**
   * Raw cgroup figures; limits are {@code null} when none is set.
   *
   * @param version 1 or 2
   * @param memoryLimitBytes the memory limit, or null
   * @param memoryUsedBytes memory charged to the group minus inactive page cache, or null if unreadable
   * @param cpuLimitCores the CPU quota in cores, or null
   * @param cpuUsageNanos CPU time used by the group, or null if unreadable
   */
  public record Snapshot(int version, Long memoryLimitBytes, Long memoryUsedBytes, Double cpuLimitCores,
      Long cpuUsageNanos) {
  }

  /** A reader for the cgroup of the current process on this machine. */
  public static CgroupReader forThisProcess() {
    return new CgroupReader(Path.of("/"));
  }

  /**
   * A reader that resolves {@code /proc/self/cgroup}, {@code /proc/self/mountinfo} and the cgroup mount
   * points under {@code root}.
   */
  public CgroupReader(Path root) {
    this.root = root;
    List<String> membership = lines(under("/proc/self/cgroup"));
    List<String> mounts = lines(under("/proc/self/mountinfo"));
    Path v2 = locate(membership, mounts, null);
    if (v2 != null && (Files.exists(v2.resolve("memory.max")) || Files.exists(v2.resolve("cpu.max")))) {
      this.version = 2;
      this.memoryDir = v2;
      this.cpuDir = v2;
      this.cpuacctDir = v2;
      return;
    }
    Path memory = locate(membership, mounts, "memory");
    Path cpu = locate(membership, mounts, "cpu");
    Path cpuacct = locate(membership, mounts, "cpuacct");
    boolean any = memory != null || cpu != null || cpuacct != null;
    this.version = any ? 1 : 0;
    this.memoryDir = memory;
    this.cpuDir = cpu;
    this.cpuacctDir = cpuacct;
  }

  /** Whether this process is in a cgroup hierarchy this reader understands. */
  public boolean available() {
    return version != 0;
  }

  /**
   * The current figures, or empty when no cgroup hierarchy was found. Limits change rarely and are read
   * again at most every {@link #LIMITS_REFRESH}; usage is read on every call, and only for a limit that
   * is set (usage without a limit is the host's, which the host figures already give).
   */
  public synchronized Optional<Snapshot> read() {
    if (version == 0) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    if (limits == null || now - limitsReadAt >= LIMITS_REFRESH.toNanos()) {
      limits = readLimits();
      limitsReadAt = now;
    }
    Long used = null;
    Long nanos = null;
    if (version == 2) {
      if (limits.memory() != null) {
        used = usedMemory(memoryDir.resolve("memory.current"), memoryDir.resolve("memory.stat"), "inactive_file");
      }
      if (limits.cores() != null) {
        OptionalLong usec = statValue(cpuacctDir.resolve("cpu.stat"), "usage_usec");
        nanos = usec.isPresent() ? usec.getAsLong() * 1000 : null;
      }
    } else {
      if (limits.memory() != null) {
        used = usedMemory(memoryDir.resolve("memory.usage_in_bytes"), memoryDir.resolve("memory.stat"),
            "total_inactive_file");
      }
      if (limits.cores() != null && cpuacctDir != null) {
        nanos = number(cpuacctDir.resolve("cpuacct.usage"));
      }
    }
    return Optional.of(new Snapshot(version, limits.memory(), used, limits.cores(), nanos));
  }

  private Limits readLimits() {
    if (version == 2) {
      Long limit = maxValue(memoryDir.resolve("memory.max"));
      Double cores = null;
      String cpuMax = firstLine(cpuDir.resolve("cpu.max"));
      if (cpuMax != null) {
        String[] parts = cpuMax.trim().split("\\s+");
        if (parts.length == 2 && !parts[0].equals("max")) {
          cores = parse(cpuDir.resolve("cpu.max"), parts[0]) / (double) parse(cpuDir.resolve("cpu.max"), parts[1]);
        }
      }
      return new Limits(limit, cores);
    }
    Long limit = null;
    if (memoryDir != null) {
      Long raw = number(memoryDir.resolve("memory.limit_in_bytes"));
      limit = raw != null && raw > 0 && raw < V1_UNLIMITED ? raw : null;
    }
    Double cores = null;
    if (cpuDir != null) {
      Long quota = number(cpuDir.resolve("cpu.cfs_quota_us"));
      Long period = number(cpuDir.resolve("cpu.cfs_period_us"));
      if (quota != null && period != null && quota > 0 && period > 0) {
        cores = quota / (double) period;
      }
    }
    return new Limits(limit, cores);
  }

  /**
   * The directory of this process's cgroup for {@code controller} (v1), or of the unified hierarchy when
   * {@code controller} is null (v2); null when not mounted.
   */
  private Path locate(List<String> membership, List<String> mounts, String controller) {
    String groupPath = null;
    for (String line : membership) {
      String[] f = line.split(":", 3);
      if (f.length < 3) {
        continue;
      }
      boolean match = controller == null
          ? f[0].equals("0") && f[1].isEmpty()
          : Arrays.asList(f[1].split(",")).contains(controller);
      if (match) {
        groupPath = f[2];
        break;
      }
    }
    if (groupPath == null) {
      return null;
    }
    for (String line : mounts) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] pre = line.substring(0, dash).split(" ");
      String[] post = line.substring(dash + 3).split(" ");
      if (pre.length < 5 || post.length < 3) {
        continue;
      }
      String mountRoot = unescape(pre[3]);
      String mountPoint = unescape(pre[4]);
      String fsType = post[0];
      boolean match = controller == null
          ? fsType.equals("cgroup2")
          : fsType.equals("cgroup") && Arrays.asList(post[2].split(",")).contains(controller);
      if (!match) {
        continue;
      }
      Path mount = under(mountPoint);
      String relative = groupPath;
      if (!mountRoot.equals("/") && groupPath.startsWith(mountRoot)) {
        relative = groupPath.substring(mountRoot.length());
      }
      Path dir = relative.isEmpty() || relative.equals("/") ? mount : mount.resolve(relative.substring(1));
      return Files.isDirectory(dir) ? dir : mount;
    }
    return null;
  }

  private Path under(String absolute) {
    return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }

  private static String unescape(String mountinfoField) {
    return mountinfoField.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }

  private static Long usedMemory(Path usageFile, Path statFile, String inactiveKey) {
    Long usage = number(usageFile);
    if (usage == null) {
      return null;
    }
    OptionalLong inactive = statValue(statFile, inactiveKey);
    return Math.max(0, usage - (inactive.isPresent() ? inactive.getAsLong() : 0));
  }

  private static Long maxValue(Path file) {
    String s = firstLine(file);
    if (s == null || s.trim().equals("max")) {
      return null;
    }
    return parse(file, s);
  }

  private static Long number(Path file) {
    String s = firstLine(file);
    return s == null ? null : parse(file, s);
  }

  private static long parse(Path file, String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalStateException("unexpected content in cgroup file " + file + ": '" + text.trim() + "'", e);
    }
  }

  private static OptionalLong statValue(Path file, String key) {
    for (String line : lines(file)) {
      if (line.startsWith(key + " ")) {
        return OptionalLong.of(parse(file, line.substring(key.length() + 1)));
      }
    }
    return OptionalLong.empty();
  }

  private static String firstLine(Path file) {
    List<String> l = lines(file);
    return l.isEmpty() ? null : l.get(0);
  }

  private static List<String> lines(Path file) {
    if (file == null) {
      return List.of();
    }
    try {
      // one byte array sized to the file rather than a reader's 24 KB of buffers: this runs every sample
      return Files.readString(file, StandardCharsets.UTF_8).lines().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cgroup file " + file, e);
    }
  }
}
