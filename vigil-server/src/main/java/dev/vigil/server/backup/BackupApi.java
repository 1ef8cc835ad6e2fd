package dev.vigil.server.backup;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.backup.BackupCatalog;
import dev.vigil.backup.BackupException;
import dev.vigil.backup.BackupInUseException;
import dev.vigil.backup.BackupName;
import dev.vigil.backup.BackupNotFoundException;
import dev.vigil.backup.BackupRecord;
import dev.vigil.backup.BackupStats;
import dev.vigil.backup.DatabaseBackup;
import dev.vigil.backup.InvalidBackupNameException;
import dev.vigil.backup.restore.RestoreResult;
import dev.vigil.backup.schedule.BackupScheduler;
import dev.vigil.backup.schedule.JobInfo;
import dev.vigil.backup.verify.VerificationResult;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.audit.AuditEvent.Outcome;
import dev.vigil.server.auth.Role;
import dev.vigil.server.http.Api;
import dev.vigil.server.http.ApiException;
import dev.vigil.server.http.HttpServer;
import dev.vigil.server.http.Json;
import dev.vigil.server.http.Page;
import io.javalin.http.Context;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Database backups over HTTP in their published shapes (SPEC §5): create, list, stats, delete, plus verify,
 * restore, jobs and the manifest of one backup.
 *
 * <p>Create, verify and restore run synchronously in the request: the published answer carries the
 * finished backup, the dashboard's button waits for it, and operations on one database are serialized
 * by the library's directory lock anyway. A client should allow for minutes on a big database. Every
 * mutation (also a failed or refused one) is audited exactly once. The library's errors are mapped once
 * here: a bad file name is 400 {@code invalid_filename}, a missing backup 404, a backup in use 409 and
 * any other backup failure 500 {@code backup_failed} with its message (the cause goes to the server log).
 */
final class BackupApi {
  private static final String DATABASE = "database";

  private BackupApi() {
  }

  /**
   * The optional body of {@code POST /api/backup/create}.
   *
   * @param database the configured database name (default: the first one)
   * @param prefix the file name prefix (default {@code backup})
   */
  public record CreateRequest(@JsonProperty("database") String database, @JsonProperty("prefix") String prefix) {
  }

  /**
   * The body of {@code POST /api/backup/restore/{filename}}.
   *
   * @param confirm must equal the file name being restored
   * @param database the configured database name (default: the one holding the file)
   */
  public record RestoreRequest(@JsonProperty("confirm") String confirm, @JsonProperty("database") String database) {
  }

  /**
   * Adds the {@code /api/backup/...} routes.
   *
   * @param catalog the configured databases
   * @param schedulers the running schedulers by database name (empty when the scheduler is off)
   */
  static void register(Api api, BackupCatalog catalog, Map<String, BackupScheduler> schedulers) {
    api.error(InvalidBackupNameException.class, 400, "invalid_filename");
    api.error(BackupNotFoundException.class, 404, "not_found");
    api.error(BackupInUseException.class, 409, "conflict");
    api.error(BackupException.class, 500, "backup_failed");
    api.post("/api/backup/create", Role.OPERATOR, "Take a backup now (optional body {database, prefix}); synchronous",
        ctx -> mutate(api, ctx, "backup.create", "database:" + queryDatabase(ctx), t -> {
          CreateRequest req = ctx.bodyAsBytes().length == 0 ? new CreateRequest(null, null)
              : Json.read(ctx, CreateRequest.class);
          DatabaseBackup db = database(catalog, req.database() != null ? req.database() : queryDatabase(ctx));
          t.resource = "database:" + db.name();
          BackupRecord r = db.createBackup(req.prefix() == null ? DatabaseBackup.DEFAULT_PREFIX : req.prefix());
          t.resource = "backup:" + db.name() + "/" + r.filename();
          t.facts.put("size_bytes", Long.toString(r.sizeBytes()));
          t.facts.put("verified", Boolean.toString(r.verified()));
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("success", true);
          body.put("backup", r);
          return body;
        }));
    api.get("/api/backup/list", Role.VIEWER, "Backups, newest first (?database=; paginated)",
        ctx -> Json.respond(ctx, Page.of(ctx, backups(catalog, ctx)).body("backups")));
    api.get("/api/backup/stats", Role.VIEWER, "total_backups, total_size_mb, oldest/newest backup (?database=)",
        ctx -> {
          BackupStats stats = BackupStats.of(backups(catalog, ctx));
          Map<String, Object> body = new LinkedHashMap<>(Json.MAPPER.convertValue(stats, Map.class));
          body.put("databases", List.copyOf(catalog.names()));
          Json.respond(ctx, body);
        });
    api.get("/api/backup/jobs", Role.VIEWER, "Scheduled jobs: name, next_run_time, trigger, last result, missed runs",
        ctx -> {
          List<Map<String, Object>> jobs = new ArrayList<>();
          schedulers.forEach((name, s) -> {
            for (JobInfo j : s.jobs()) {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put(DATABASE, name);
              row.putAll(Json.MAPPER.convertValue(j, Map.class));
              jobs.add(row);
            }
          });
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("scheduler_enabled", !schedulers.isEmpty());
          body.put("jobs", jobs);
          Json.respond(ctx, body);
        });
    api.delete("/api/backup/delete/{filename}", Role.ADMIN, "Delete a backup and its manifest",
        ctx -> mutate(api, ctx, "backup.delete", "backup:" + ctx.pathParam("filename"), t -> {
          String file = filename(ctx);
          DatabaseBackup db = holding(catalog, ctx, file);
          t.resource = "backup:" + db.name() + "/" + file;
          if (!db.deleteBackup(file)) {
            throw ApiException.notFound("backup " + file + " of database " + db.name());
          }
          return Map.of("success", true);
        }));
    api.post("/api/backup/verify/{filename}", Role.OPERATOR,
        "Verify a backup: checksum and a test restore into a scratch database; synchronous",
        ctx -> mutate(api, ctx, "backup.verify", "backup:" + ctx.pathParam("filename"), t -> {
          String file = filename(ctx);
          DatabaseBackup db = holding(catalog, ctx, file);
          t.resource = "backup:" + db.name() + "/" + file;
          VerificationResult v = db.verifyBackup(file);
          t.facts.put("verified", Boolean.toString(v.ok()));
          if (!v.ok()) {
            t.outcome = Outcome.FAILURE;
            t.facts.put("reason", shorten(v.message()));
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("success", v.ok());
          body.put("verification", v);
          return body;
        }));
    api.post("/api/backup/restore/{filename}", Role.ADMIN,
        "Restore a backup over its database after a safety backup; body {\"confirm\":\"<filename>\"}; synchronous",
        ctx -> mutate(api, ctx, "backup.restore", "backup:" + ctx.pathParam("filename"), t -> {
          String file = filename(ctx);
          RestoreRequest req = ctx.bodyAsBytes().length == 0 ? new RestoreRequest(null, null)
              : Json.read(ctx, RestoreRequest.class);
          if (!file.equals(req.confirm())) {
            throw new ApiException(400, "confirmation_required", "restoring replaces the database's content: send "
                + "{\"confirm\":\"" + file + "\"} to confirm");
          }
          DatabaseBackup db = req.database() != null ? database(catalog, req.database()) : holding(catalog, ctx, file);
          t.resource = "backup:" + db.name() + "/" + file;
          RestoreResult r = db.restoreBackup(file);
          if (r.safetyBackup() != null) {
            t.facts.put("safety_backup", r.safetyBackup());
          }
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("success", true);
          body.put("restore", r);
          return body;
        }));
    api.get("/api/backup/{filename}", Role.VIEWER, "The manifest of one backup (checksum, row counts, verification)",
        ctx -> {
          String file = filename(ctx);
          Json.respond(ctx, holding(catalog, ctx, file).manifest(file));
        });
  }

  /** The resource being changed, the outcome and audit facts, filled in as the handler learns them. */
  private static final class Target {
    String resource;
    Outcome outcome = Outcome.SUCCESS;
    final Map<String, Object> facts = new LinkedHashMap<>();

    Target(String resource) {
      this.resource = resource;
    }
  }

  @FunctionalInterface
  private interface Mutation {
    Object run(Target target);
  }

  /**
   * Runs a mutation, answers its body and audits it once; when it throws, audits the failure with the
   * message the client gets (a mapped or API error's own, else "internal error") and lets it through.
   */
  private static void mutate(Api api, Context ctx, String action, String resource, Mutation m) {
    Target t = new Target(resource);
    Object body;
    try {
      body = m.run(t);
    } catch (RuntimeException e) {
      String reason = e instanceof ApiException || api.mappingOf(e).isPresent() ? e.getMessage() : "internal error";
      Map<String, Object> facts = new LinkedHashMap<>(t.facts);
      facts.put("reason", shorten(reason));
      HttpServer.audit(ctx, new AuditEvent(action, shorten(t.resource), Outcome.FAILURE, facts));
      throw e;
    }
    HttpServer.audit(ctx, new AuditEvent(action, shorten(t.resource), t.outcome, t.facts));
    Json.respond(ctx, body);
  }

  private static String queryDatabase(Context ctx) {
    return ctx.queryParam(DATABASE);
  }

  /** The named database, or the first configured one when {@code name} is null. */
  private static DatabaseBackup database(BackupCatalog catalog, String name) {
    if (name == null) {
      return catalog.all().get(0);
    }
    if (!catalog.names().contains(name)) {
      throw ApiException.badParameter(DATABASE, "one of the configured databases " + catalog.names());
    }
    return catalog.database(name);
  }

  /** The database named by {@code ?database=}, else the one whose directory holds {@code file}. */
  private static DatabaseBackup holding(BackupCatalog catalog, Context ctx, String file) {
    String name = queryDatabase(ctx);
    if (name != null) {
      return database(catalog, name);
    }
    for (DatabaseBackup db : catalog.all()) {
      if (Files.isRegularFile(db.backupDir().resolve(file))) {
        return db;
      }
    }
    throw ApiException.notFound("backup " + file + " (in the directories of " + catalog.names() + ")");
  }

  /** The validated {@code {filename}} path parameter. */
  private static String filename(Context ctx) {
    return BackupName.parse(ctx.pathParam("filename")).filename();
  }

  /** The backups of {@code ?database=}, or of every database, newest first. */
  private static List<BackupRecord> backups(BackupCatalog catalog, Context ctx) {
    String name = queryDatabase(ctx);
    if (name != null) {
      return database(catalog, name).listBackups();
    }
    List<BackupRecord> all = new ArrayList<>();
    catalog.all().forEach(db -> all.addAll(db.listBackups()));
    all.sort(Comparator.comparing(BackupRecord::timestamp).reversed());
    return all;
  }

  /** At most 300 characters with control characters replaced, so user input cannot forge log lines. */
  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() > 300 ? clean.substring(0, 300) + "…" : clean;
  }
}
