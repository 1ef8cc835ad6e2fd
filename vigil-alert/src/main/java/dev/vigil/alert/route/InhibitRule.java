package dev.vigil.alert.route;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mutes alerts matching {@code targetMatchers} while an alert matching {@code sourceMatchers} fires
 * with the same values of the {@code equal} labels (a critical silences its warning).
 *
 * @param sourceMatchers what the muting alert matches
 * @param targetMatchers what the muted alert matches
 * @param equal labels both must share
 */
public record InhibitRule(
    @JsonProperty("source_matchers") List<Matcher> sourceMatchers,
    @JsonProperty("target_matchers") List<Matcher> targetMatchers,
    @JsonProperty("equal") List<String> equal) {
  /** Copies. */
  public InhibitRule {
    sourceMatchers = List.copyOf(Objects.requireNonNull(sourceMatchers, "source_matchers"));
    targetMatchers = List.copyOf(Objects.requireNonNull(targetMatchers, "target_matchers"));
    equal = List.copyOf(equal == null ? List.of() : equal);
  }

  /** The usual rule: a critical alert mutes the warning of the same alertname. */
  public static InhibitRule criticalMutesWarning() {
    return new InhibitRule(List.of(Matcher.parse("severity=\"critical\"")), List.of(Matcher.parse("severity=\"warning\"")),
        List.of("alertname"));
  }

  /** Whether firing {@code source} mutes {@code target}. */
  public boolean mutes(Map<String, String> source, Map<String, String> target) {
    if (source.equals(target) || !Matcher.all(sourceMatchers, source) || !Matcher.all(targetMatchers, target)) {
      return false;
    }
    for (String l : equal) {
      if (!Objects.equals(source.get(l), target.get(l))) {
        return false;
      }
    }
    return true;
  }
}
