package dev.vigil.optimizer.database;

import dev.vigil.core.store.StateStore;
import dev.vigil.optimizer.Level;
import dev.vigil.optimizer.Optimizer;
import java.nio.file.Path;

/**
 * A child process for the crash test: builds one index through the optimizer on a PostgreSQL
 * database until it is killed. Arguments: state dir, JDBC URL of the application database.
 */
public final class ApplyInChild {
  private ApplyInChild() {
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    try (StateStore store = StateStore.open(null, Path.of(args[0]))) {
      Optimizer optimizer = CrashRecoveryTest.optimizer(store, args[1]);
      System.out.println("applying");
      System.out.flush();
      optimizer.run(Level.HIGH, true, false, "test:child");
      System.out.println("applied");
    }
  }
}
