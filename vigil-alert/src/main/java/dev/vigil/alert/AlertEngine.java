package dev.vigil.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.JobQueue;
import dev.vigil.alert.queue.JobRequest;
import dev.vigil.alert.queue.PermanentJobException;
import dev.vigil.alert.queue.QueueOptions;
import dev.vigil.alert.queue.QueueWorker;
import dev.vigil.alert.receiver.DeliveryException;
import dev.vigil.alert.receiver.Receiver;
import dev.vigil.alert.receiver.Receivers;
import dev.vigil.alert.receiver.SecretScrubber;
import dev.vigil.alert.receiver.Tickets;
import dev.vigil.alert.report.WeeklyReport;
import dev.vigil.alert.route.Dispatcher;
import dev.vigil.alert.route.Silences;
import dev.vigil.alert.rule.MetricSource;
import dev.vigil.alert.rule.Rule;
import dev.vigil.alert.rule.RuleEngine;
import dev.vigil.core.store.StateStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerting engine: evaluates the rules every {@code evaluation_interval}, routes firing and
 * resolved alerts (grouping, silences, inhibition), and delivers each notification through the
 * durable job queue, one queue and worker thread per receiver. Also takes alerts raised directly
 * ({@link #alert(String, String)}, {@link #notifyAdmin(String)}).
 */
public final class AlertEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  /** How long a directly raised alert fires unless raised again or resolved. */
  public static final Duration DIRECT_ALERT_TTL = Duration.ofHours(1);
  /** Longest delivery error kept (the peer's answer is quoted, shortened after secrets are masked). */
  private static final int MAX_ERROR = 500;

  private final AlertsConfig config;
  private final Clock clock;
  private final RuleEngine rules;
  private final Silences silences;
  private final JobQueue queue;
  private final Dispatcher dispatcher;
  private final Map<String, Receiver> receivers = new LinkedHashMap<>();
  private final WeeklyReport report = new WeeklyReport();
  private final SecretScrubber scrubber;
  private final Map<String, Direct> direct = new LinkedHashMap<>();
  private final List<QueueWorker> workers = new ArrayList<>();
  private volatile List<Alert> current = List.of();
  private ScheduledExecutorService evaluator;
  private Timer evaluationTimer;

  /** An engine with the default queue options. */
  public AlertEngine(AlertsConfig config, StateStore store, MetricSource source, Clock clock) {
    this(config, store, source, clock, QueueOptions.defaults());
  }

  /**
   * An engine over {@code store} (migrating the alert tables) reading {@code source}.
   *
   * @throws IllegalArgumentException when a receiver's settings are wrong
   */
  public AlertEngine(AlertsConfig config, StateStore store, MetricSource source, Clock clock, QueueOptions queueOptions) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queue = new JobQueue(store, clock, queueOptions, () -> ThreadLocalRandom.current().nextDouble());
    this.silences = new Silences(store, clock);
    this.rules = new RuleEngine(config.rules(), source, clock);
    this.scrubber = SecretScrubber.of(config.receivers());
    Tickets tickets = new Tickets(store, clock);
    config.receivers().forEach((name, spec) -> receivers.put(name, Receivers.build(name, spec, tickets, clock, report)));
    this.dispatcher = config.route() == null ? null
        : new Dispatcher(config.route(), config.inhibitRules(), silences, queue, clock, config.externalUrl());
  }

  /** Starts the evaluation thread ({@code vigil-alert-eval}) and one delivery worker per receiver. */
  public synchronized void start() {
    if (evaluator != null) {
      throw new IllegalStateException("alert engine already started");
    }
    for (Receiver r : receivers.values()) {
      workers.add(queue.start(r.name(), job -> deliver(r, job)));
    }
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, run -> {
      Thread t = new Thread(run, "vigil-alert-eval");
      t.setDaemon(true);
      return t;
    });
    long ms = config.evaluationInterval().toMillis();
    ex.scheduleWithFixedDelay(() -> {
      try {
        evaluate();
      } catch (RuntimeException e) {
        LOG.warn("alert evaluation failed: {}", e.getMessage(), e);
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
    evaluator = ex;
  }

  /**
   * One round: evaluate every rule, add direct alerts, route, and enqueue the notifications that are
   * due. The evaluation thread calls it; tests call it with an injected clock.
   *
   * @return the notifications enqueued
   */
  public List<Notification> evaluate() {
    long t0 = System.nanoTime();
    List<Alert> batch = new ArrayList<>(rules.evaluate());
    synchronized (direct) {
      Instant now = clock.instant();
      for (var it = direct.values().iterator(); it.hasNext(); ) {
        Direct d = it.next();
        if (d.resolveAt != null && !now.isBefore(d.resolveAt)) {
          batch.add(d.alert.with(Alert.State.RESOLVED, d.alert.startsAt(), now, d.alert.value(), d.alert.annotations()));
          it.remove();
        } else {
          batch.add(d.alert);
        }
      }
    }
    current = batch.stream().filter(a -> a.state() != Alert.State.RESOLVED).toList();
    List<Notification> sent = List.of();
    if (dispatcher != null) {
      dispatcher.update(batch);
      sent = dispatcher.tick();
    }
    if (evaluationTimer != null) {
      evaluationTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }
    return sent;
  }

  /**
   * Raises an alert directly (the application's {@code alert(severity, message)}): it fires at the
   * next evaluation and resolves after {@link #DIRECT_ALERT_TTL} unless raised again.
   *
   * @param severity critical, warning or info
   */
  public void alert(String severity, String message) {
    raise("ApplicationAlert", severity, Map.of(), message);
  }

  /** Tells the operators something ({@code notifyAdmin}): a warning alert named AdminNotice. */
  public void notifyAdmin(String message) {
    raise("AdminNotice", "warning", Map.of(), message);
  }

  /**
   * Raises (or refreshes) a direct alert; its labels are {@code name}, {@code severity} and
   * {@code labels}; the summary is part of its identity so two different messages are two alerts.
   */
  public void raise(String name, String severity, Map<String, String> labels, String summary) {
    if (severity == null || !severity.matches("critical|warning|info")) {
      throw new IllegalArgumentException("alert severity must be critical, warning or info, got " + severity);
    }
    if (summary == null || summary.isBlank() || summary.length() > 2000) {
      throw new IllegalArgumentException("alert message must be 1-2000 characters");
    }
    Map<String, String> l = new TreeMap<>(labels);
    l.put("alertname", name);
    l.put("severity", severity);
    l.put("message_id", Alert.fingerprint(Map.of("m", summary)));
    String fp = Alert.fingerprint(l);
    Instant now = clock.instant();
    synchronized (direct) {
      Direct prev = direct.get(fp);
      Alert a = prev != null ? prev.alert
          : new Alert(fp, l, Map.of("summary", summary), Alert.State.FIRING, now, now, null, 1);
      direct.put(fp, new Direct(a, now.plus(DIRECT_ALERT_TTL)));
    }
  }

  /** Resolves the direct alerts named {@code name} at the next evaluation. */
  public void resolve(String name) {
    synchronized (direct) {
      for (Map.Entry<String, Direct> e : direct.entrySet()) {
        if (name.equals(e.getValue().alert.name())) {
          e.setValue(new Direct(e.getValue().alert, clock.instant()));
        }
      }
    }
  }

  /**
   * Sends a test notification to {@code receiver} through its queue (at once, ahead of others).
   *
   * @return the job's idempotency key
   * @throws IllegalArgumentException when there is no such receiver
   */
  public String test(String receiver, String requestedBy) {
    if (!receivers.containsKey(receiver)) {
      throw new IllegalArgumentException("no receiver named " + receiver + "; receivers are " + receivers.keySet());
    }
    Instant now = clock.instant();
    Map<String, String> labels = new TreeMap<>(Map.of("alertname", "VigilTest", "severity", "info"));
    Notification n = new Notification("4", "test", "firing", receiver, Map.of("alertname", "VigilTest"), labels,
        Map.of("summary", "Test notification from Vigil, requested by " + requestedBy), config.externalUrl(),
        List.of(new Notification.Item("firing", labels, Map.of("summary", "Test notification from Vigil, requested by "
            + requestedBy, "summary_ar", "إشعار تجريبي من Vigil"), now, null, Alert.fingerprint(labels))));
    String key = "test:" + receiver + ":" + UUID.randomUUID();
    try {
      queue.enqueue(JobRequest.of(receiver, Dispatcher.KIND, key, 40, JSON.writeValueAsString(n)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the test notification", e);
    }
    return key;
  }

  /**
   * Delivers the due notifications of {@code receiver} on the calling thread (what its worker does;
   * for tests with an injected clock and for a one-shot flush).
   *
   * @return how many deliveries were attempted
   */
  public int deliverDue(String receiver) {
    Receiver r = receivers.get(receiver);
    if (r == null) {
      throw new IllegalArgumentException("no receiver named " + receiver + "; receivers are " + receivers.keySet());
    }
    return queue.runDue(receiver, "inline-" + ProcessHandle.current().pid(), job -> deliver(r, job));
  }

  private void deliver(Receiver r, Job job) throws Exception {
    Notification n = JSON.readValue(job.payload(), Notification.class);
    try {
      r.send(n, job.idempotencyKey());
    } catch (DeliveryException e) {
      // the message becomes the delivery's last error and a log line: a peer may have echoed a secret
      String message = shorten(scrubber.scrub(e.getMessage()));
      if (e.permanent()) {
        throw new PermanentJobException(message);
      }
      throw new DeliveryException(message, false, null);
    } catch (RuntimeException e) {
      throw new IllegalStateException(shorten("receiver " + r.name() + " failed: "
          + scrubber.scrub(String.valueOf(e.getMessage()))));
    }
  }

  /** A delivery error as stored and logged: at most {@value #MAX_ERROR} characters. */
  private static String shorten(String message) {
    return message.length() <= MAX_ERROR ? message : message.substring(0, MAX_ERROR) + "...";
  }

  /** The pending and firing alerts, each with whether it is silenced or inhibited. */
  public List<AlertView> alerts() {
    List<Alert> all = current;
    List<AlertView> out = new ArrayList<>();
    for (Alert a : all) {
      boolean silenced = silences.muted(a.labels());
      boolean inhibited = dispatcher != null && dispatcher.inhibited(a);
      out.add(new AlertView(a, silenced, inhibited));
    }
    return out;
  }

  /**
   * An alert as listed.
   *
   * @param alert the alert
   * @param silenced whether a silence mutes it
   * @param inhibited whether an inhibition rule mutes it
   */
  public record AlertView(@JsonProperty("alert") Alert alert, @JsonProperty("silenced") boolean silenced,
      @JsonProperty("inhibited") boolean inhibited) {
  }

  /**
   * The sections a Confluence report page carries after its incidents; features add theirs
   * ({@link WeeklyReport#add}) before notifications flow.
   */
  public WeeklyReport report() {
    return report;
  }

  /** The rules in force. */
  public List<Rule> rules() {
    return rules.rules();
  }

  /** The silences. */
  public Silences silences() {
    return silences;
  }

  /** The job queue (for {@code GET /api/jobs} and other durable jobs). */
  public JobQueue queue() {
    return queue;
  }

  /** Receiver names and types (never their settings, which hold secrets). */
  public Map<String, String> receivers() {
    Map<String, String> out = new LinkedHashMap<>();
    receivers.forEach((n, r) -> out.put(n, r.type()));
    return out;
  }

  /** The newest notifications (delivery log), with their attempts. */
  public List<Delivery> notifications(int limit) {
    List<Delivery> out = new ArrayList<>();
    for (Job j : queue.jobs(null, null, limit)) {
      if (Dispatcher.KIND.equals(j.kind())) {
        out.add(new Delivery(j.queue(), j.idempotencyKey(), j.status(), j.priority(), j.attempts(), j.createdAt(),
            j.finishedAt(), j.lastError(), queue.attempts(j.id())));
      }
    }
    return out;
  }

  /**
   * One notification's delivery.
   *
   * @param receiver the receiver
   * @param key the idempotency key
   * @param status PENDING, RUNNING, DONE or DEAD
   * @param priority its priority
   * @param attempts attempts so far
   * @param createdAt when it was queued
   * @param finishedAt when it was delivered or given up
   * @param lastError the last failure
   * @param log every attempt
   */
  public record Delivery(@JsonProperty("receiver") String receiver, @JsonProperty("key") String key,
      @JsonProperty("status") String status, @JsonProperty("priority") int priority,
      @JsonProperty("attempts") int attempts, @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("finished_at") Instant finishedAt, @JsonProperty("last_error") String lastError,
      @JsonProperty("log") List<JobQueue.Attempt> log) {
  }

  /** Binds {@code vigil.alerts.firing}, {@code vigil.alerts.evaluation} and {@code vigil.alert.jobs{status}}. */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("vigil.alerts.firing", this, e -> e.current.stream().filter(a -> a.state() == Alert.State.FIRING).count())
        .description("alerts firing now").register(registry);
    for (String s : List.of(Job.PENDING, Job.RUNNING, Job.DEAD)) {
      Gauge.builder("vigil.alert.jobs", queue, q -> q.counts().get(s)).tag("status", s.toLowerCase(java.util.Locale.ROOT))
          .description("jobs in the durable queue").register(registry);
    }
    evaluationTimer = Timer.builder("vigil.alerts.evaluation").description("one evaluation of every alert rule")
        .register(registry);
  }

  /** Stops evaluation and the delivery workers (pending notifications stay queued for the next start). */
  @Override
  public synchronized void close() {
    if (evaluator != null) {
      evaluator.shutdownNow();
      try {
        evaluator.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (QueueWorker w : workers) {
      w.close();
    }
    workers.clear();
  }

  private record Direct(Alert alert, Instant resolveAt) {
  }
}
