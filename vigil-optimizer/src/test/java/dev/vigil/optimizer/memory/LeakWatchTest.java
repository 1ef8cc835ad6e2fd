package dev.vigil.optimizer.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.core.testing.MutableClock;
import dev.vigil.monitor.process.ProcessInfo;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Proposal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A real process whose memory keeps growing is flagged with its slope; a steady one is not. */
class LeakWatchTest {

  private static double rssMb(long pid) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return 0;
  }

  @Test
  void aProcessWhoseMemoryKeepsRisingIsFlaggedAndASteadyOneIsNot() throws Exception {
    Process leaky = new ProcessBuilder("/usr/bin/python3", "-c",
        "import sys,time\nkeep=[]\nfor line in sys.stdin:\n  keep.append(bytearray(4*1024*1024))\n"
            + "  print(len(keep), flush=True)\n").start();
    Process steady = new ProcessBuilder("sleep", "60").start();
    try {
      MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
      List<Process> watched = List.of(leaky, steady);
      LeakWatch watch = new LeakWatch(() -> watched.stream().map(p -> {
        try {
          return new ProcessInfo((int) p.pid(), p == leaky ? "python3" : "sleep", 0, rssMb(p.pid()), 0, "running",
              "test", "");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }).toList(), clock, Duration.ofMinutes(30), 50, 0.8);
      var in = leaky.outputWriter();
      var out = leaky.inputReader();
      for (int i = 1; i <= 12; i++) {
        in.write("grow\n");
        in.flush();
        assertThat(out.readLine()).isEqualTo(Integer.toString(i));
        double before = rssMb(leaky.pid());
        await().atMost(Duration.ofSeconds(5)).until(() -> rssMb(leaky.pid()) >= before);
        watch.sample();
        clock.advance(Duration.ofMinutes(2));
      }
      List<Proposal> found = watch.propose();
      assertThat(found).singleElement().satisfies(p -> {
        assertThat(p.level()).isEqualTo(Level.LOW);
        assertThat(p.target()).contains("python3").contains(Long.toString(leaky.pid()));
        assertThat((Double) p.details().get("slope_mb_per_hour")).isGreaterThan(50);
        assertThat(p.reason()).contains("MB/h");
      });
      Optional<Proposal> sleeping = found.stream().filter(p -> p.target().contains("sleep")).findAny();
      assertThat(sleeping).isEmpty();
    } finally {
      leaky.destroyForcibly();
      steady.destroyForcibly();
    }
  }
}
