package dev.vigil.alert.rule;

import dev.vigil.alert.rule.Rule.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The rules every operator wants, on by default (each can be turned off by name). They read these
 * metric names:
 * <ul>
 *   <li>{@code cpu_percent}, {@code ram_percent}, {@code disk_percent}: the monitoring snapshot</li>
 *   <li>{@code vigil_backup_failures_total{database}}, {@code vigil_backup_missed_runs_total{database}},
 *       {@code vigil_backup_last_verify_success{database}} (1 passed, 0 failed, NaN before the first
 *       verification), {@code vigil_backup_last_success_timestamp_seconds{database}}: the backup meters</li>
 *   <li>{@code vigil_audit_chain_intact}: 1 while the audit chain verifies, 0 when tampered</li>
 *   <li>{@code vigil_cache_degraded}: 1 while Redis is unreachable</li>
 *   <li>{@code vigil_http_error_ratio{scope}}, {@code vigil_http_p95_seconds{scope}} with scope
 *       {@code api} (Vigil's API) or {@code app} (the application through the proxy), and
 *       {@code vigil_cache_hit_ratio}: derived by {@link RegistryMetricSource} or the server</li>
 * </ul>
 */
public final class BuiltInRules {
  private BuiltInRules() {
  }

  /** Every built-in rule. */
  public static List<Rule> all() {
    return List.of(
        rule("HostCpuCritical", Kind.THRESHOLD, "cpu_percent", Map.of(), Op.GT, 95, Duration.ofMinutes(5), 5, "critical",
            "CPU at {{ value }}% (above {{ threshold }}%)", "المعالج عند {{ value }}٪ (فوق {{ threshold }}٪)"),
        rule("HostRamCritical", Kind.THRESHOLD, "ram_percent", Map.of(), Op.GT, 95, Duration.ofMinutes(5), 3, "critical",
            "Memory at {{ value }}% (above {{ threshold }}%)", "الذاكرة عند {{ value }}٪ (فوق {{ threshold }}٪)"),
        rule("HostDiskCritical", Kind.THRESHOLD, "disk_percent", Map.of(), Op.GT, 95, Duration.ofMinutes(1), 2, "critical",
            "Disk {{ value }}% full", "القرص ممتلئ بنسبة {{ value }}٪"),
        new Rule("HostDiskFullSoon", Kind.FORECAST, "disk_percent", Map.of(), Op.GE, 100, Duration.ofMinutes(30), 2,
            "warning", Map.of(), Map.of("en", "Disk will be full within 24 h at the current rate (projected {{ value }}%)",
            "ar", "سيمتلئ القرص خلال 24 ساعة بالمعدل الحالي (المتوقع {{ value }}٪)"), Map.of(), Duration.ofHours(6),
            Duration.ofHours(24), true),
        rule("BackupFailed", Kind.INCREASE, "vigil_backup_failures_total", Map.of(), Op.GT, 0, Duration.ZERO, 0,
            "critical", "Backup of {{ labels.database }} failed", "فشل النسخ الاحتياطي لقاعدة {{ labels.database }}"),
        rule("BackupMissed", Kind.INCREASE, "vigil_backup_missed_runs_total", Map.of(), Op.GT, 0, Duration.ZERO, 0,
            "warning", "A scheduled backup of {{ labels.database }} did not run",
            "لم يُنفَّذ نسخ احتياطي مجدول لقاعدة {{ labels.database }}"),
        rule("BackupStale", Kind.AGE, "vigil_backup_last_success_timestamp_seconds", Map.of(), Op.GT, 26 * 3600,
            Duration.ZERO, 0, "critical", "No backup of {{ labels.database }} newer than 26 h",
            "لا توجد نسخة احتياطية لقاعدة {{ labels.database }} أحدث من 26 ساعة"),
        // the newest verification failed; resolves when a later one passes (as the shipped Prometheus rule)
        rule("BackupVerificationFailed", Kind.THRESHOLD, "vigil_backup_last_verify_success", Map.of(), Op.EQ, 0,
            Duration.ZERO, 0, "critical", "Verification of a backup of {{ labels.database }} failed",
            "فشل التحقق من نسخة احتياطية لقاعدة {{ labels.database }}"),
        rule("AuditChainTampered", Kind.THRESHOLD, "vigil_audit_chain_intact", Map.of(), Op.EQ, 0, Duration.ZERO, 0,
            "critical", "The audit log chain does not verify: records were changed or removed",
            "سلسلة سجل التدقيق لا تتحقق: تم تعديل سجلات أو حذفها"),
        rule("RedisDegraded", Kind.THRESHOLD, "vigil_cache_degraded", Map.of(), Op.EQ, 1, Duration.ofMinutes(1), 0,
            "warning", "Redis is unreachable; the cache runs in-process only",
            "Redis غير متاح؛ التخزين المؤقت يعمل داخل العملية فقط"),
        rule("ApiErrorRate", Kind.THRESHOLD, "vigil_http_error_ratio", Map.of("scope", "api"), Op.GT, 0.01,
            Duration.ofMinutes(5), 0.002, "warning", "Vigil API error rate {{ value }} (above 1%)",
            "نسبة أخطاء واجهة Vigil {{ value }} (فوق 1٪)"),
        rule("ApiLatencyP95", Kind.THRESHOLD, "vigil_http_p95_seconds", Map.of("scope", "api"), Op.GT, 0.2,
            Duration.ofMinutes(5), 0.02, "warning", "Vigil API p95 latency {{ value }} s (above 200 ms)",
            "زمن استجابة واجهة Vigil p95 {{ value }} ث (فوق 200 مللي ثانية)"),
        rule("AppErrorRate", Kind.THRESHOLD, "vigil_http_error_ratio", Map.of("scope", "app"), Op.GT, 0.01,
            Duration.ofMinutes(5), 0.002, "warning", "Application error rate {{ value }} (above 1%)",
            "نسبة أخطاء التطبيق {{ value }} (فوق 1٪)"),
        rule("AppLatencyP95", Kind.THRESHOLD, "vigil_http_p95_seconds", Map.of("scope", "app"), Op.GT, 0.2,
            Duration.ofMinutes(5), 0.02, "warning", "Application p95 latency {{ value }} s (above 200 ms)",
            "زمن استجابة التطبيق p95 {{ value }} ث (فوق 200 مللي ثانية)"),
        rule("CacheHitRateLow", Kind.THRESHOLD, "vigil_cache_hit_ratio", Map.of(), Op.LT, 0.85, Duration.ofMinutes(10),
            0.02, "warning", "Cache hit rate {{ value }} (below 85%)", "نسبة إصابة التخزين المؤقت {{ value }} (أقل من 85٪)"));
  }

  private static Rule rule(String name, Kind kind, String metric, Map<String, String> selector, Op op, double threshold,
      Duration forDuration, double hysteresis, String severity, String en, String ar) {
    return new Rule(name, kind, metric, selector, op, threshold, forDuration, hysteresis, severity, Map.of(),
        Map.of("en", en, "ar", ar), Map.of(), Duration.ofHours(1), null, true);
  }
}
