package dev.vigil.optimizer;

import java.util.List;
import java.util.Map;

/**
 * One kind of change the optimizer can make, measure and undo (an index, a cache TTL, a proxy cache
 * rule, a job priority, …). A tuning proposes from what it observes now, applies a proposal, tells
 * how to measure its effect, and undoes it from the state its apply returned — also after a restart,
 * so that state is plain text kept in the store.
 */
public interface Tuning {
  /** Stable name, e.g. {@code db.create_index}; stored with every action it applies. */
  String name();

  /** The family it belongs to. */
  Family family();

  /**
   * What it would change now, with the level each needs.
   *
   * @throws Exception when it cannot look (the run reports it and goes on with other tunings)
   */
  List<Proposal> propose() throws Exception;

  /**
   * Applies {@code proposal}.
   *
   * @return what {@link #undo} needs to revert it (e.g. the index name), kept in the store
   * @throws Exception when it could not be applied; nothing may be left half done that
   *     {@link #undo} with the returned state would not clean up
   */
  Map<String, String> apply(Proposal proposal) throws Exception;

  /**
   * Reverts an applied proposal. Must succeed when the change is already gone (idempotent), so an
   * interrupted apply can be cleaned up with it.
   *
   * @param undo the state {@link #apply} returned, or an empty map when apply was interrupted
   */
  void undo(Proposal proposal, Map<String, String> undo) throws Exception;

  /**
   * Puts an applied change back after a restart when it lived only in this process's memory (a cache
   * TTL, a job priority), from the state {@link #apply} returned. A change kept outside the process (an
   * index) survives a restart by itself, which is why the default has nothing to do.
   *
   * @throws Exception when it cannot be put back (the action is then reported; it can be rolled back)
   */
  default void restore(Proposal proposal, Map<String, String> undo) throws Exception {
  }

  /** How to measure the metric {@code proposal} should improve. */
  Probe probe(Proposal proposal);

  /** Metrics the change may harm (e.g. write latency on a table that gets an index). */
  default List<Probe> guards(Proposal proposal) {
    return List.of();
  }
}
