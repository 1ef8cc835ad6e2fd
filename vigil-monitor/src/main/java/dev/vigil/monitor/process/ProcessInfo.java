package dev.vigil.monitor.process;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One process of a top-N listing, serialized in the documented shape ({@code pid, name, cpu_percent,
 * memory_mb, memory_percent, status}) plus {@code user} and {@code command}.
 *
 * <p>{@code cpu_percent} is the share of ONE logical CPU the process used over the measuring window
 * (as {@code top} and psutil show it): a process keeping two cores busy shows 200. Divide by the host's
 * {@code cpu_count} for a share of the machine.
 *
 * @param pid process id
 * @param name short program name
 * @param cpuPercent % of one CPU over the window (see above)
 * @param memoryMb resident memory in MiB
 * @param memoryPercent resident memory as % of the host's RAM (or of the container's limit)
 * @param status {@code running, sleeping, disk-sleep, stopped, tracing-stop, zombie, idle, dead} or
 *     {@code unknown}
 * @param user the owning user name (the numeric uid when it has no name)
 * @param command the command line, at most 200 characters, with password/token/secret-like values masked
 *     ({@link CommandLineMasker}); see {@link #withProgramOnly()} for callers who may not see arguments
 */
@JsonPropertyOrder({"pid", "name", "cpu_percent", "memory_mb", "memory_percent", "status", "user", "command"})
public record ProcessInfo(
    @JsonProperty("pid") int pid,
    @JsonProperty("name") String name,
    @JsonProperty("cpu_percent") double cpuPercent,
    @JsonProperty("memory_mb") double memoryMb,
    @JsonProperty("memory_percent") double memoryPercent,
    @JsonProperty("status") String status,
    @JsonProperty("user") String user,
    @JsonProperty("command") String command) {

  /** Longest command line kept. */
  public static final int MAX_COMMAND_LENGTH = 200;

  /**
   * This process as shown to someone who may not see command lines (everyone but an admin): the
   * command cut to its program, with {@code " …"} when it had arguments.
   */
  public ProcessInfo withProgramOnly() {
    int space = command.indexOf(' ');
    String program = space < 0 || command.startsWith("[") ? command : command.substring(0, space) + " …";
    return new ProcessInfo(pid, name, cpuPercent, memoryMb, memoryPercent, status, user, program);
  }

  /** Checks the fields. */
  public ProcessInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(command, "command");
    if (command.length() > MAX_COMMAND_LENGTH) {
      throw new IllegalArgumentException("command of pid " + pid + " is longer than " + MAX_COMMAND_LENGTH + " characters");
    }
  }
}
