package dev.vigil.backup.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.backup.compress.Compression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Job settings: levels change what the codecs write (and stay readable), out-of-range levels are
 * refused, and a low priority runs the tool through nice and ionice at niceness 10.
 */
class JobSettingsTest {

  @Test
  void levelsChangeTheOutputStayReadableAndAreChecked() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append("order ").append(i % 977).append(" customer ").append(i % 331).append(" note ")
          .append(Integer.toHexString(i * 7919)).append('\n');
    }
    byte[] raw = text.toString().getBytes(StandardCharsets.UTF_8);
    for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
      byte[] fast = compress(c, raw, c.minLevel());
      byte[] strong = compress(c, raw, c.maxLevel());
      assertThat(strong.length).as(c.id()).isLessThan(fast.length);
      try (InputStream in = c.decompress(new ByteArrayInputStream(strong))) {
        assertThat(in.readAllBytes()).isEqualTo(raw);
      }
    }
    JobSettings settings = new JobSettings();
    assertThat(settings.compressionLevel(Compression.GZIP)).isEqualTo(6);
    assertThat(settings.compressionLevel(Compression.ZSTD)).isEqualTo(3);
    settings.compressionLevel(Compression.ZSTD, 19);
    assertThat(settings.compressionLevel(Compression.ZSTD)).isEqualTo(19);
    assertThatThrownBy(() -> settings.compressionLevel(Compression.GZIP, 10)).hasMessageContaining("1..9");
    assertThatThrownBy(() -> settings.compressionLevel(Compression.NONE, 1)).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void lowPriorityRunsTheToolThroughNiceAndIonice() throws Exception {
    JobSettings settings = new JobSettings();
    assertThat(settings.priority()).isEqualTo(JobSettings.DEFAULT_PRIORITY).isEqualTo(JobPriority.NORMAL);
    assertThat(JobPriority.NORMAL.command(List.of("pg_dump", "x"))).containsExactly("pg_dump", "x");
    assertThat(JobPriority.LOW.missingTools()).isEmpty();
    settings.priority(JobPriority.LOW);
    Process p = new ProcessBuilder(JobPriority.LOW.command(List.of("sh", "-c", "cut -d' ' -f19 /proc/$$/stat")))
        .start();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("10");
    assertThat(p.waitFor()).isZero();
  }

  private static byte[] compress(Compression c, byte[] raw, int level) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = c.compress(bytes, level)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }
}
