package dev.vigil.monitor.process;

import dev.vigil.monitor.host.CounterWindow;
import dev.vigil.monitor.host.Units;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;
import oshi.software.os.linux.LinuxOperatingSystem;

/**
 * Top-N process listings that only pay for what is shown. On Linux one pass reads nothing but
 * {@code /proc/<pid>/stat} of every process (CPU time, resident memory, state) into a reused buffer,
 * ranks them, and only the N shown are then looked up further: their {@code cmdline} and owner (user
 * names are cached per uid). Elsewhere OSHI lists all processes for the ranking and describes the N
 * shown.
 *
 * <p>CPU % is a rate: the CPU time a process used since a baseline scan at least
 * {@value #MIN_WINDOW_MILLIS} ms old, as % of ONE logical CPU. The table scans once when it is created,
 * so the first listing is already a real rate (it waits out the rest of the window if asked sooner).
 * Thread-safe.
 */
public final class ProcessTable {
  /** The shortest window a CPU rate is measured over. */
  public static final long MIN_WINDOW_MILLIS = 500;

  private final OperatingSystem os;
  private final LongSupplier memoryTotalBytes;
  private final Path proc;
  private final long ticksPerSecond;
  private final long pageSize;
  private final CounterWindow<Map<Integer, long[]>> window = new CounterWindow<>(Duration.ofMillis(MIN_WINDOW_MILLIS));
  private final Map<Integer, String> userNames = new HashMap<>();
  private byte[] buffer = new byte[4096];

  /** Counters of one process from a scan. */
  private record Counters(int pid, String name, char state, long cpuMillis, long start, long rssBytes) {
  }

  /** A ranked process with its rate. */
  private record Ranked(Counters counters, double cpuPercent) {
  }

  /**
   * A table over {@code os}.
   *
   * @param memoryTotalBytes the RAM that {@code memory_percent} is relative to (the host's, or the
   *     container's limit)
   */
  public ProcessTable(OperatingSystem os, LongSupplier memoryTotalBytes) {
    this(os, memoryTotalBytes, true);
  }

  /** A table that reads {@code /proc} itself only when {@code useProcfs} and on Linux (tests run both paths). */
  ProcessTable(OperatingSystem os, LongSupplier memoryTotalBytes, boolean useProcfs) {
    this.os = Objects.requireNonNull(os, "os");
    this.memoryTotalBytes = Objects.requireNonNull(memoryTotalBytes, "memoryTotalBytes");
    Path procfs = Path.of("/proc");
    boolean linux = useProcfs && os instanceof LinuxOperatingSystem && Files.isReadable(procfs.resolve("self/stat"));
    this.proc = linux ? procfs : null;
    this.ticksPerSecond = linux ? Math.max(1, LinuxOperatingSystem.getHz()) : 1000;
    this.pageSize = linux ? LinuxOperatingSystem.getPageSize() : 1;
    prime();
  }

  private synchronized void prime() {
    long now = System.nanoTime();
    window.offer(now, baselineOf(scan()));
  }

  /**
   * The {@code n} processes using the most CPU (or memory), most first.
   *
   * @throws IllegalArgumentException when {@code n < 1}
   */
  public synchronized List<ProcessInfo> top(int n, ProcessOrder order) {
    if (n < 1) {
      throw new IllegalArgumentException("top must be at least 1, not " + n);
    }
    Objects.requireNonNull(order, "order");
    long wait = window.nanosUntilBaseline(System.nanoTime());
    if (wait > 0) {
      sleepNanos(wait);
    }
    List<Counters> scan = scan();
    long now = System.nanoTime();
    CounterWindow.Reading<Map<Integer, long[]>> base = window.baseline(now).orElseThrow();
    double elapsedMillis = Math.max(1, (now - base.nanos()) / 1e6);
    List<Ranked> ranked = new ArrayList<>(scan.size());
    for (Counters c : scan) {
      long[] before = base.value().get(c.pid());
      long used = before != null && before[1] == c.start() ? c.cpuMillis() - before[0] : c.cpuMillis();
      ranked.add(new Ranked(c, 100.0 * Math.max(0, used) / elapsedMillis));
    }
    window.offer(now, baselineOf(scan));
    Comparator<Ranked> byCpu = Comparator.comparingDouble(Ranked::cpuPercent).reversed();
    Comparator<Ranked> byMemory = Comparator.comparingLong((Ranked r) -> r.counters().rssBytes()).reversed();
    ranked.sort(order == ProcessOrder.CPU ? byCpu.thenComparing(byMemory) : byMemory.thenComparing(byCpu));
    long total = memoryTotalBytes.getAsLong();
    List<ProcessInfo> result = new ArrayList<>(Math.min(n, ranked.size()));
    for (Ranked r : ranked) {
      if (result.size() == n) {
        break;
      }
      ProcessInfo info = proc != null ? describeProcfs(r, total) : describeOshi(r, total);
      if (info != null) {
        result.add(info);
      }
    }
    return result;
  }

  /** Describes a process from its {@code cmdline} and owner; null when it ended meanwhile. */
  private ProcessInfo describeProcfs(Ranked r, long totalMemory) {
    Path dir = proc.resolve(Integer.toString(r.counters().pid()));
    byte[] cmdline = read(dir.resolve("cmdline"));
    if (cmdline == null) {
      return null;
    }
    List<String> args = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
        start = i + 1;
      }
    }
    if (start < cmdline.length) {
      args.add(new String(cmdline, start, cmdline.length - start, StandardCharsets.UTF_8));
    }
    String user;
    try {
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      user = userNames.get(uid);
      if (user == null) {
        user = Files.getOwner(dir).getName();
        userNames.put(uid, user);
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      if (!Files.exists(dir)) {
        return null;
      }
      throw new UncheckedIOException("cannot read the owner of " + dir, e);
    }
    return describe(r, args, user, null, totalMemory);
  }

  /** Describes a process through OSHI; null when it ended meanwhile. */
  private ProcessInfo describeOshi(Ranked r, long totalMemory) {
    OSProcess details = os.getProcess(r.counters().pid());
    if (details == null) {
      return null;
    }
    String user = details.getUser();
    if (user == null || user.isBlank()) {
      user = details.getUserID() == null || details.getUserID().isBlank() ? "unknown" : details.getUserID();
    }
    return describe(r, details.getArguments(), user, details, totalMemory);
  }

  private ProcessInfo describe(Ranked r, List<String> args, String user, OSProcess details, long totalMemory) {
    Counters c = r.counters();
    String name = c.name();
    if (!args.isEmpty() && name.length() == 15) {
      String program = args.get(0).substring(args.get(0).lastIndexOf('/') + 1);
      if (program.startsWith(name)) {
        name = program;
      }
    }
    String command = args.isEmpty() ? "[" + name + "]" : CommandLineMasker.commandLine(args);
    return new ProcessInfo(c.pid(), name, Units.round2(r.cpuPercent()), Units.round2(c.rssBytes() / Units.MIB),
        Units.percent(c.rssBytes(), totalMemory), status(c.state(), details), user, command);
  }

  private static Map<Integer, long[]> baselineOf(List<Counters> scan) {
    Map<Integer, long[]> m = new HashMap<>(scan.size() * 2);
    for (Counters c : scan) {
      m.put(c.pid(), new long[] {c.cpuMillis(), c.start()});
    }
    return m;
  }

  private List<Counters> scan() {
    return proc != null ? scanProcfs() : scanOshi();
  }

  private List<Counters> scanProcfs() {
    String[] entries = proc.toFile().list();
    if (entries == null) {
      throw new UncheckedIOException(new IOException("cannot list processes in " + proc));
    }
    List<Counters> out = new ArrayList<>(entries.length);
    for (String entry : entries) {
      if (entry.isEmpty() || !Character.isDigit(entry.charAt(0))) {
        continue;
      }
      Counters c = readStat(proc.resolve(entry));
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * Reads a small procfs file whole into the shared buffer and returns a copy; null when the process
   * ended meanwhile.
   */
  private byte[] read(Path file) {
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      int length = 0;
      while (true) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int got = in.read(buffer, length, buffer.length - length);
        if (got < 0) {
          break;
        }
        length += got;
      }
      return Arrays.copyOf(buffer, length);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      if (!Files.exists(file.getParent())) {
        return null;
      }
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Parses {@code /proc/<pid>/stat}; null when the process ended meanwhile. */
  private Counters readStat(Path dir) {
    byte[] bytes = read(dir.resolve("stat"));
    if (bytes == null) {
      return null;
    }
    String s = new String(bytes, StandardCharsets.UTF_8);
    int open = s.indexOf('(');
    int close = s.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 >= s.length()) {
      return null;
    }
    String[] f = s.substring(close + 2).trim().split(" ");
    if (f.length < 22) {
      return null;
    }
    // f[0] is field 3 (state); utime=14, stime=15, starttime=22, rss=24 (1-based fields of proc(5))
    int pid = Integer.parseInt(s.substring(0, open).trim());
    long cpuTicks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    long start = Long.parseLong(f[19]);
    long rss = Math.max(0, Long.parseLong(f[21])) * pageSize;
    return new Counters(pid, s.substring(open + 1, close), f[0].charAt(0), cpuTicks * 1000 / ticksPerSecond, start, rss);
  }

  private List<Counters> scanOshi() {
    List<OSProcess> all = os.getProcesses();
    List<Counters> out = new ArrayList<>(all.size());
    for (OSProcess p : all) {
      out.add(new Counters(p.getProcessID(), p.getName(), stateChar(p.getState()), p.getKernelTime() + p.getUserTime(),
          p.getStartTime(), p.getResidentSetSize()));
    }
    return out;
  }

  private static char stateChar(OSProcess.State state) {
    switch (state) {
      case RUNNING:
        return 'R';
      case SLEEPING:
      case WAITING:
        return 'S';
      case ZOMBIE:
        return 'Z';
      case STOPPED:
      case SUSPENDED:
        return 'T';
      default:
        return '?';
    }
  }

  private static String status(char state, OSProcess details) {
    switch (state) {
      case 'R':
        return "running";
      case 'S':
        return "sleeping";
      case 'D':
        return "disk-sleep";
      case 'Z':
        return "zombie";
      case 'T':
        return "stopped";
      case 't':
        return "tracing-stop";
      case 'X':
      case 'x':
        return "dead";
      case 'I':
        return "idle";
      case 'P':
        return "parked";
      case 'W':
        return "waking";
      default:
        return details == null ? "unknown" : details.getState().name().toLowerCase(Locale.ROOT);
    }
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the process CPU window", e);
    }
  }
}
