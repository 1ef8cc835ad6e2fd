package dev.vigil.alert.probe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One check.
 *
 * @param probe the probe
 * @param at when it ran
 * @param up whether it passed
 * @param status the HTTP status, or 0 without an answer
 * @param millis how long it took
 * @param error why it failed, or {@code null}
 * @param certExpiresAt the https certificate's end of validity, or {@code null}
 */
public record ProbeResult(
    @JsonProperty("probe") String probe,
    @JsonProperty("at") Instant at,
    @JsonProperty("up") boolean up,
    @JsonProperty("status") int status,
    @JsonProperty("millis") int millis,
    @JsonProperty("error") String error,
    @JsonProperty("cert_expires_at") Instant certExpiresAt) {
}
