package dev.vigil.backup;

import java.nio.file.Path;

/**
 * The child JVM that {@link KillTest} kills with SIGKILL: {@code backup} takes backups (with
 * verification and retention) in a loop; {@code retention} applies a keep-last-1 policy once.
 */
public final class KillTarget {
  private KillTarget() {
  }

  /** {@code KillTarget backup|retention <database url> <backup dir>}. */
  public static void main(String[] args) {
    String mode = args[0];
    String url = args[1];
    Path dir = Path.of(args[2]);
    if (mode.equals("backup")) {
      try (DatabaseBackup b = DatabaseBackup.builder(url, dir).maxBackups(3).build()) {
        System.out.println("READY");
        System.out.flush();
        while (true) {
          b.createBackup();
        }
      }
    }
    try (DatabaseBackup b = DatabaseBackup.builder(url, dir).maxBackups(1).verifyAfterBackup(false).build()) {
      b.listBackups();
      System.out.println("READY");
      System.out.flush();
      b.applyRetention();
      System.out.println("DONE");
    }
  }
}
