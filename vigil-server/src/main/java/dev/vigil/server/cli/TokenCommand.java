package dev.vigil.server.cli;

import dev.vigil.core.config.Settings;
import dev.vigil.core.config.VigilConfig;
import dev.vigil.core.store.StateStore;
import dev.vigil.logging.audit.AuditLog;
import dev.vigil.server.audit.Actor;
import dev.vigil.server.audit.AuditEvent;
import dev.vigil.server.audit.ServerAudit;
import dev.vigil.server.auth.Role;
import dev.vigil.server.auth.TokenInfo;
import dev.vigil.server.auth.TokenStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil token create|list|revoke}: works on the state store directly, server running or not;
 * create and revoke are written to the audit trail (user {@code cli:<os user>}).
 */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand extends CommandGroup {

  static StateStore open(VigilConfig c) {
    return StateStore.open(c.find(Settings.STORE_URL).orElse(null), c.dataDir());
  }

  /** {@code vigil token create --role R --name N}: prints the new token on its last line. */
  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a token; prints it on the last line.")
  static final class Create implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--role", required = true, description = "viewer, operator or admin")
    String role;
    @Option(names = "--name", required = true, description = "what the token is for")
    String name;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Role r = Role.parse(role);
      VigilConfig c = config.load();
      try (StateStore store = open(c); AuditLog audit = ServerAudit.open(c, store, Clock.systemUTC())) {
        TokenStore.IssuedToken issued = new TokenStore(store, Clock.systemUTC()).create(name, r);
        ServerAudit.write(audit, Actor.cli(), AuditEvent.success("token.create", "token:" + issued.info().id())
            .with("role", r.label()).with("via", "cli"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Created " + r.label() + " token " + issued.info().id() + " (" + name
            + "). It is shown only now:");
        out.println(issued.token());
        out.flush();
      }
      return 0;
    }
  }

  /** {@code vigil token list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    FormatOption format;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (StateStore store = open(config.load())) {
        List<TokenInfo> tokens = new TokenStore(store, Clock.systemUTC()).list();
        format.print(spec.commandLine().getOut(), tokens, o -> o.println(tokens.stream().filter(TokenInfo::active)
            .count() + " active of " + tokens.size() + " tokens"),
            o -> Output.table(o, List.of("ID", "NAME", "ROLE", "CREATED", "STATUS"), tokens.stream()
                .map(t -> List.of(t.id(), t.name(), t.role().label(), t.createdAt().toString(),
                    t.active() ? "active" : "revoked " + t.revokedAt()))
                .toList()));
      }
      return 0;
    }
  }

  /** {@code vigil token revoke ID}. */
  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by id.")
  static final class Revoke implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Parameters(paramLabel = "ID", description = "the token id shown by 'vigil token list'")
    String id;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      VigilConfig c = config.load();
      try (StateStore store = open(c); AuditLog audit = ServerAudit.open(c, store, Clock.systemUTC())) {
        if (!new TokenStore(store, Clock.systemUTC()).revoke(id)) {
          ServerAudit.write(audit, Actor.cli(), AuditEvent.failure("token.revoke", "token:" + id,
              "no active token with this id").with("via", "cli"));
          spec.commandLine().getErr().println("vigil: no active token with id " + id);
          return 1;
        }
        ServerAudit.write(audit, Actor.cli(), AuditEvent.success("token.revoke", "token:" + id).with("via", "cli"));
        spec.commandLine().getOut().println("Revoked token " + id);
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }
}
