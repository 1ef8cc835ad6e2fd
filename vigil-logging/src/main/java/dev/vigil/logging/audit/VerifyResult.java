package dev.vigil.logging.audit;

/**
 * The answer of {@link AuditLog#verify()}: intact, or the first record that fails and why.
 *
 * @param ok whether the whole chain is intact
 * @param records how many records were checked
 * @param checkpoints how many keyed checkpoints were checked
 * @param firstBadSeq the first seq that fails (0 when ok)
 * @param reason why it fails ({@code null} when ok)
 * @param file the file where it was found ({@code null} when ok or not tied to a file)
 * @param line the line in that file (0 when not tied to a line)
 */
public record VerifyResult(boolean ok, long records, long checkpoints, long firstBadSeq, String reason, String file,
    long line) {

  static VerifyResult intact(long records, long checkpoints) {
    return new VerifyResult(true, records, checkpoints, 0, null, null, 0);
  }

  static VerifyResult failed(long records, long checkpoints, long seq, String reason, String file, long line) {
    return new VerifyResult(false, records, checkpoints, seq, reason, file, line);
  }

  /** One line for people: {@code intact: N records, M checkpoints} or {@code TAMPERED at seq S: reason}. */
  public String summary() {
    if (ok) {
      return "intact: " + records + " records, " + checkpoints + " checkpoints";
    }
    return "TAMPERED at seq " + firstBadSeq + ": " + reason + (file == null ? "" : " (" + file
        + (line > 0 ? " line " + line : "") + ")");
  }
}
