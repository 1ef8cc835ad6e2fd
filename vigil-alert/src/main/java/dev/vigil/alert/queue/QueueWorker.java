package dev.vigil.alert.queue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker thread of one queue: runs due jobs, then sleeps until the next one is due, a job is
 * enqueued in this process, or the poll interval passes (jobs enqueued by other processes).
 */
public final class QueueWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);
  private final JobQueue queue;
  private final String name;
  private final JobHandler handler;
  private final String owner;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private boolean woken;
  private volatile boolean closed;

  QueueWorker(JobQueue queue, String name, JobHandler handler) {
    this.queue = queue;
    this.name = name;
    this.handler = handler;
    this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + name + "/"
        + UUID.randomUUID().toString().substring(0, 8);
    this.thread = new Thread(this::loop, "vigil-queue-" + name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The queue this worker runs. */
  public String queue() {
    return name;
  }

  /** The owner name written into the claims of this worker. */
  public String owner() {
    return owner;
  }

  void wake() {
    lock.lock();
    try {
      woken = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    Duration poll = queue.options().pollInterval();
    while (!closed) {
      try {
        queue.runDue(name, owner, handler);
        long waitMs = poll.toMillis();
        Instant next = queue.nextDue(name);
        if (next != null) {
          waitMs = Math.max(1, Math.min(waitMs, next.toEpochMilli() - queue.clock().millis()));
        }
        lock.lock();
        try {
          if (!woken && !closed) {
            signal.await(waitMs, java.util.concurrent.TimeUnit.MILLISECONDS);
          }
          woken = false;
        } finally {
          lock.unlock();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("queue {} worker: {}; retrying in {}", name, e.getMessage(), poll, e);
        try {
          Thread.sleep(poll.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Stops the thread, letting a running job finish (waits up to 10 s). */
  @Override
  public void close() {
    closed = true;
    wake();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    queue.removed(this);
  }
}
