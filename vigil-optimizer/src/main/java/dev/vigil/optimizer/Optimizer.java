package dev.vigil.optimizer;

import dev.vigil.core.store.StateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimization engine. A run asks every {@link Tuning} what it would change, applies what the
 * run's level allows (never raising it; a forced run ignores quiet windows, not levels), and records
 * each applied change with its baseline window. {@link #observe()} then measures each change against
 * its baseline and keeps it, rolls it back, or waits ({@link Judge}). Every applied change can be rolled
 * back by hand. History, the level and on/off survive restarts in the state store; a change left half
 * applied by a crash is undone on the next start ({@link #recover()}).
 */
public final class Optimizer {
  private static final Logger LOG = LoggerFactory.getLogger(Optimizer.class);
  private static final String ENABLED = "enabled";
  private static final String LEVEL = "level";

  private final OptimizerOptions options;
  private final Map<String, Tuning> tunings = new LinkedHashMap<>();
  private final OptimizerHooks hooks;
  private final ActionStore store;
  private final Judge judge;

  /**
   * An optimizer over {@code tunings}, keeping its history in {@code store}.
   *
   * @throws IllegalArgumentException when two tunings share a name
   */
  public Optimizer(OptimizerOptions options, List<? extends Tuning> tunings, OptimizerHooks hooks, StateStore store) {
    this.options = Objects.requireNonNull(options, "options");
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    for (Tuning t : tunings) {
      if (this.tunings.putIfAbsent(t.name(), t) != null) {
        throw new IllegalArgumentException("two tunings are named " + t.name());
      }
    }
    this.store = new ActionStore(Objects.requireNonNull(store, "store"));
    this.judge = new Judge(options);
  }

  /** Whether scheduled runs happen (runs asked for by a person happen either way). */
  public boolean enabled() {
    return store.setting(ENABLED).map(Boolean::parseBoolean).orElse(true);
  }

  /** Turns scheduled runs on or off. */
  public void enabled(boolean on, String actor) {
    store.setting(ENABLED, Boolean.toString(on));
    hooks.audit(on ? "optimizer.enable" : "optimizer.disable", "optimizer", "success", Map.of("actor", actor));
  }

  /** The level scheduled runs use: the one set by a person, else the configured one. */
  public Level level() {
    return store.setting(LEVEL).map(Level::parse).orElse(options.level());
  }

  /** Sets the level scheduled runs use. */
  public void level(Level level, String actor) {
    store.setting(LEVEL, level.label());
    hooks.audit("optimizer.level", "optimizer", "success", Map.of("level", level.label(), "actor", actor));
  }

  /**
   * Runs once.
   *
   * @param level what may be applied without asking ({@code null}: {@link #level()})
   * @param force run heavy changes now even in a busy window (never raises the level)
   * @param dryRun report what would be applied, change nothing
   * @param actor who asked ({@code job:optimizer} for the schedule)
   */
  public synchronized RunReport run(Level level, boolean force, boolean dryRun, String actor) {
    Level at = level == null ? level() : level;
    Instant now = options.clock().instant();
    List<RunReport.Item> items = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    boolean busy = !force && hooks.busy();
    boolean checkpointed = false;
    for (Tuning tuning : tunings.values()) {
      List<Proposal> proposals;
      try {
        proposals = tuning.propose();
      } catch (Exception e) {
        problems.add(tuning.name() + ": " + e.getMessage());
        LOG.warn("optimizer: {} could not look: {}", tuning.name(), e.getMessage());
        continue;
      }
      for (Proposal p : proposals) {
        if (p.reportOnly()) {
          items.add(new RunReport.Item(p, RunReport.Outcome.REPORTED, "a finding; nothing to apply", null));
        } else if (store.active(p.key())) {
          items.add(new RunReport.Item(p, RunReport.Outcome.ACTIVE, "applied already", null));
        } else if (!at.allows(p.level())) {
          items.add(new RunReport.Item(p, RunReport.Outcome.NEEDS_LEVEL, "applied at level " + p.level().label(), null));
        } else if (store.rejected(p.key()) && !force) {
          items.add(new RunReport.Item(p, RunReport.Outcome.SKIPPED, "rolled back before; --force tries again", null));
        } else if (busy && p.level().compareTo(Level.HIGH) >= 0) {
          items.add(new RunReport.Item(p, RunReport.Outcome.SKIPPED, "busy window; waits for a quiet one", null));
        } else if (dryRun) {
          items.add(new RunReport.Item(p, RunReport.Outcome.DRY_RUN, "would apply", null));
        } else {
          if (p.level() == Level.AGGRESSIVE && !checkpointed) {
            try {
              hooks.checkpoint("before optimizer run at " + now);
              checkpointed = true;
            } catch (Exception e) {
              items.add(new RunReport.Item(p, RunReport.Outcome.FAILED, "no recovery checkpoint: " + e.getMessage(),
                  null));
              continue;
            }
          }
          items.add(apply(tuning, p, actor));
        }
      }
    }
    return new RunReport(now, at, force, dryRun, items, problems);
  }

  private RunReport.Item apply(Tuning tuning, Proposal p, String actor) {
    Instant now = options.clock().instant();
    String id = UUID.randomUUID().toString().substring(0, 8);
    store.insert(new ActionRecord(id, tuning.name(), p, ActionRecord.Status.APPLYING, actor, now,
        now.minus(options.baseline()), now.plus(options.observation()), null, null, null, null, null, Map.of()));
    try {
      Map<String, String> undo = tuning.apply(p);
      store.applied(id, undo);
      hooks.audit("optimizer.apply", "action:" + id + " " + p.target(), "success", facts(p, Map.of("actor", actor)));
      return new RunReport.Item(p, RunReport.Outcome.APPLIED, "observed until " + now.plus(options.observation()), id);
    } catch (Exception e) {
      String reason = "apply failed: " + e.getMessage();
      undoQuietly(tuning, p, Map.of(), id, reason);
      store.close(id, ActionRecord.Status.FAILED, options.clock().instant(), reason);
      hooks.audit("optimizer.apply", "action:" + id + " " + p.target(), "failure", facts(p, Map.of("reason", reason)));
      return new RunReport.Item(p, RunReport.Outcome.FAILED, reason, id);
    }
  }

  /**
   * Measures every change under observation and keeps or rolls back those the evidence decides.
   *
   * @return the actions decided by this call
   */
  public synchronized List<ActionRecord> observe() {
    List<ActionRecord> decided = new ArrayList<>();
    for (ActionRecord a : store.withStatus(ActionRecord.Status.OBSERVING)) {
      Tuning tuning = tunings.get(a.tuning());
      if (tuning == null) {
        continue;
      }
      Instant now = options.clock().instant();
      Verdict v;
      try {
        v = judge.decide(tuning.probe(a.proposal()), tuning.guards(a.proposal()), requiredEffect(a.proposal()),
            a.baselineFrom(), a.appliedAt(), now, a.observeUntil());
      } catch (Exception e) {
        LOG.warn("optimizer: cannot measure action {} ({}): {}", a.id(), a.proposal().target(), e.getMessage());
        continue;
      }
      switch (v.decision()) {
        case WAIT -> {
          continue;
        }
        case KEEP -> store.decide(a.id(), ActionRecord.Status.KEPT, now, v);
        case ROLLBACK -> {
          if (!a.proposal().reversible()) {
            v = new Verdict(v.decision(), v.confidence(), v.before(), v.after(), v.reason()
                + "; it cannot be undone, so it stays");
            store.decide(a.id(), ActionRecord.Status.LEFT_IN_PLACE, now, v);
            break;
          }
          try {
            tuning.undo(a.proposal(), a.undo());
            store.decide(a.id(), ActionRecord.Status.ROLLED_BACK, now, v);
          } catch (Exception e) {
            LOG.error("optimizer: rolling back action {} ({}) failed; it stays applied", a.id(), a.proposal().target(),
                e);
            hooks.audit("optimizer.rollback", "action:" + a.id() + " " + a.proposal().target(), "failure",
                facts(a.proposal(), Map.of("reason", String.valueOf(e.getMessage()))));
            continue;
          }
        }
        default -> throw new IllegalStateException("unknown decision " + v.decision());
      }
      boolean leftInPlace = v.decision() == Verdict.Decision.ROLLBACK && !a.proposal().reversible();
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("decision", leftInPlace ? "left_in_place" : v.decision().name().toLowerCase(Locale.ROOT));
      figures.put("before", v.before());
      figures.put("after", v.after());
      figures.put("confidence", v.confidence());
      figures.put("reason", v.reason());
      hooks.audit(v.decision() == Verdict.Decision.KEEP ? "optimizer.keep"
          : leftInPlace ? "optimizer.left_in_place" : "optimizer.rollback",
          "action:" + a.id() + " " + a.proposal().target(), "success", facts(a.proposal(), figures));
      decided.add(store.find(a.id()).orElseThrow());
    }
    return decided;
  }

  /**
   * Rolls back one applied action by hand.
   *
   * @throws IllegalArgumentException when there is no such action
   * @throws IllegalStateException when it is not applied (failed or rolled back already)
   */
  public synchronized ActionRecord rollback(String id, String actor) throws Exception {
    ActionRecord a = store.find(id).orElseThrow(() -> new IllegalArgumentException("no optimizer action " + id));
    if (a.status() != ActionRecord.Status.OBSERVING && a.status() != ActionRecord.Status.KEPT) {
      throw new IllegalStateException("optimizer action " + id + " is " + a.status().name().toLowerCase(
          Locale.ROOT) + ", not applied");
    }
    if (!a.proposal().reversible()) {
      throw new IllegalStateException("optimizer action " + id + " (" + a.proposal().kind() + " " + a.proposal()
          .target() + ") cannot be undone: " + a.proposal().details().getOrDefault("irreversible_because",
          "the change keeps no earlier state to go back to"));
    }
    Tuning tuning = tunings.get(a.tuning());
    if (tuning == null) {
      throw new IllegalStateException("optimizer action " + id + " was applied by " + a.tuning()
          + ", which this server does not run");
    }
    tuning.undo(a.proposal(), a.undo());
    store.close(id, ActionRecord.Status.ROLLED_BACK_MANUALLY, options.clock().instant(), "rolled back by " + actor);
    hooks.audit("optimizer.rollback", "action:" + id + " " + a.proposal().target(), "success",
        facts(a.proposal(), Map.of("actor", actor, "manual", true)));
    return store.find(id).orElseThrow();
  }

  /**
   * Undoes the changes a crash left half applied (e.g. an invalid index after a kill during a
   * concurrent build) and marks them failed; puts back the applied changes that lived in memory
   * ({@link Tuning#restore}).
   *
   * @return the ids cleaned up
   */
  public synchronized List<String> recover() {
    for (ActionRecord.Status status : List.of(ActionRecord.Status.OBSERVING, ActionRecord.Status.KEPT)) {
      for (ActionRecord a : store.withStatus(status)) {
        Tuning tuning = tunings.get(a.tuning());
        if (tuning == null) {
          continue;
        }
        try {
          tuning.restore(a.proposal(), a.undo());
        } catch (Exception e) {
          LOG.error("optimizer: action {} ({}) could not be put back after the restart; roll it back or apply it"
              + " again", a.id(), a.proposal().target(), e);
          hooks.audit("optimizer.restore", "action:" + a.id() + " " + a.proposal().target(), "failure",
              facts(a.proposal(), Map.of("reason", String.valueOf(e.getMessage()))));
        }
      }
    }
    List<String> cleaned = new ArrayList<>();
    for (ActionRecord a : store.withStatus(ActionRecord.Status.APPLYING)) {
      Tuning tuning = tunings.get(a.tuning());
      String reason = "interrupted while applying (the process stopped); cleaned up on restart";
      if (tuning != null && undoQuietly(tuning, a.proposal(), a.undo(), a.id(), reason)) {
        store.close(a.id(), ActionRecord.Status.FAILED, options.clock().instant(), reason);
        hooks.audit("optimizer.recover", "action:" + a.id() + " " + a.proposal().target(), "success",
            facts(a.proposal(), Map.of("reason", reason)));
        cleaned.add(a.id());
      }
    }
    return cleaned;
  }

  /** The newest actions first. */
  public List<ActionRecord> history(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("history limit must be 1-1000; got " + limit);
    }
    return store.history(limit);
  }

  /** One action. */
  public Optional<ActionRecord> action(String id) {
    return store.find(id);
  }

  /** The changes under observation now. */
  public List<ActionRecord> observing() {
    return store.withStatus(ActionRecord.Status.OBSERVING);
  }

  /** The tunings it runs, by name. */
  public List<String> tunings() {
    return List.copyOf(tunings.keySet());
  }

  private boolean undoQuietly(Tuning tuning, Proposal p, Map<String, String> undo, String id, String why) {
    try {
      tuning.undo(p, undo);
      return true;
    } catch (Exception e) {
      LOG.error("optimizer: cleaning up action {} ({}) after '{}' failed", id, p.target(), why, e);
      return false;
    }
  }

  /** The gain a proposal must show to be kept, when it names one ({@link Proposal#MIN_EFFECT}). */
  private static double requiredEffect(Proposal p) {
    Object v = p.details().get(Proposal.MIN_EFFECT);
    return v instanceof Number n ? n.doubleValue() : 0;
  }

  private static Map<String, Object> facts(Proposal p, Map<String, Object> more) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("family", p.family().label());
    f.put("kind", p.kind());
    f.put("level", p.level().label());
    f.put("metric", p.metric());
    f.putAll(more);
    return f;
  }
}
