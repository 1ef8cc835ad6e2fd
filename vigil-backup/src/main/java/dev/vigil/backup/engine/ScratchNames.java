package dev.vigil.backup.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the scratch databases test restores create: {@code vigil_verify_<epoch seconds>_<random>}.
 * The time in the name tells a leftover of an interrupted verification (older than
 * {@link #ORPHAN_AGE}, nobody connected) from one that is just starting.
 */
final class ScratchNames {
  /** Prefix of every scratch database. */
  static final String PREFIX = "vigil_verify_";
  /** How old an unused scratch database must be before the next verification drops it. */
  static final Duration ORPHAN_AGE = Duration.ofMinutes(10);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern STAMPED = Pattern.compile("vigil_verify_(\\d{1,12})_[0-9a-f]+");
  private static final Pattern LEGACY = Pattern.compile("vigil_verify_[0-9a-f]{10}");

  private ScratchNames() {
  }

  /** A fresh scratch name stamped with {@code clock}'s time. */
  static String fresh(Clock clock) {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return PREFIX + clock.instant().getEpochSecond() + "_" + HexFormat.of().formatHex(b);
  }

  /**
   * Whether {@code name} (of a database nobody is connected to) is a leftover: stamped more than
   * {@link #ORPHAN_AGE} before now, or in the unstamped form of earlier versions.
   */
  static boolean isOrphan(String name, Clock clock) {
    Matcher m = STAMPED.matcher(name);
    if (m.matches()) {
      return Long.parseLong(m.group(1)) < clock.instant().minus(ORPHAN_AGE).getEpochSecond();
    }
    return LEGACY.matcher(name).matches();
  }
}
