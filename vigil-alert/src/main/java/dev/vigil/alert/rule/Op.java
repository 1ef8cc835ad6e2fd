package dev.vigil.alert.rule;

/** A comparison of a value with a threshold. */
public enum Op {
  GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

  private final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as written in rules. */
  public String symbol() {
    return symbol;
  }

  /** Parses {@code > >= < <= == !=}. */
  public static Op parse(String s) {
    for (Op op : values()) {
      if (op.symbol.equals(s == null ? null : s.strip())) {
        return op;
      }
    }
    throw new IllegalArgumentException("rule op must be one of > >= < <= == !=, got " + s);
  }

  /** Whether {@code value op threshold} holds. */
  public boolean test(double value, double threshold) {
    return switch (this) {
      case GT -> value > threshold;
      case GE -> value >= threshold;
      case LT -> value < threshold;
      case LE -> value <= threshold;
      case EQ -> value == threshold;
      case NE -> value != threshold;
    };
  }

  /**
   * Whether a firing alert still holds: the value must move past the threshold by {@code hysteresis}
   * (the other way) before it resolves, so a value hovering at the line does not flap.
   */
  public boolean holds(double value, double threshold, double hysteresis) {
    return switch (this) {
      case GT, GE -> value > threshold - hysteresis || test(value, threshold);
      case LT, LE -> value < threshold + hysteresis || test(value, threshold);
      case EQ, NE -> test(value, threshold);
    };
  }
}
