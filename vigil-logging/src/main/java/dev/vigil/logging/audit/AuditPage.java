package dev.vigil.logging.audit;

import java.util.List;

/**
 * One page of an audit report.
 *
 * @param records the records, oldest first
 * @param nextCursor pass as the next query's {@code afterSeq}; {@code null} on the last page
 */
public record AuditPage(List<AuditRecord> records, Long nextCursor) {
}
