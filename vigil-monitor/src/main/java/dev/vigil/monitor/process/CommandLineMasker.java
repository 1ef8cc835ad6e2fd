package dev.vigil.monitor.process;

import dev.vigil.core.url.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secrets in a process's arguments before they are shown, then cuts the command line to
 * {@value ProcessInfo#MAX_COMMAND_LENGTH} characters. Masked, each replaced by {@value #MASK}:
 * <ul>
 *   <li>{@code --password=x}, {@code -Ddb.password=x}, {@code PGPASSWORD=x}: the value of any
 *       {@code name=value} argument whose name has a secret-like word (password, passwd, pwd, pass,
 *       passphrase, secret, token, key, auth, credential, cookie, signature...), also inside a longer
 *       argument such as {@code sh -c "API_TOKEN=x run"};</li>
 *   <li>{@code --password x}, {@code --api-key x}: the argument after such an option;</li>
 *   <li>{@code scheme://user:x@host}, {@code ?password=x}: the password of a URL (core's {@link Secrets});</li>
 *   <li>{@code Authorization: Bearer x} and similar header arguments;</li>
 *   <li>{@code -u user:x} / {@code --user user:x} (curl and friends): the part after the colon;</li>
 *   <li>{@code -px} for the MySQL/MariaDB clients.</li>
 * </ul>
 * Masking errs on the side of hiding: an option such as {@code --key-file path} is masked too.
 */
public final class CommandLineMasker {
  /** What a secret is replaced with (core's one mask). */
  public static final String MASK = Secrets.MASK;

  private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pass", "pwd", "passphrase",
      "secret", "token", "key", "apikey", "accesskey", "secretkey", "privatekey", "credential", "credentials",
      "auth", "authorization", "cookie", "signature", "sig", "bearer", "sas");
  private static final List<String> SECRET_PARTS = List.of("password", "passwd", "secret", "token", "apikey",
      "accesskey", "credential", "privatekey");
  private static final Pattern OPTION_ASSIGNMENT = Pattern.compile("^(-{1,2}[A-Za-z0-9_.\\-]+)=(.+)$", Pattern.DOTALL);
  private static final Pattern OPTION = Pattern.compile("^-{1,2}[A-Za-z][A-Za-z0-9_.\\-]+$");
  private static final Pattern ASSIGNMENT = Pattern.compile("(?<![A-Za-z0-9_.\\-])([A-Za-z_][A-Za-z0-9_.\\-]*)=([^\\s'\"]+)");
  private static final Pattern HEADER = Pattern.compile(
      "(?i)^((?:proxy-)?authorization|cookie|x-api-key|api-key|x-auth-token|private-token)\\s*:\\s*\\S.*$", Pattern.DOTALL);
  private static final Set<String> USER_OPTIONS = Set.of("-u", "--user", "-U", "--proxy-user");
  private static final Pattern MYSQL_CLIENT = Pattern.compile("(?i)^(mysql|mariadb)[a-z\\-]*$");

  private CommandLineMasker() {
  }

  /** The arguments with secrets masked, one output argument per input argument. */
  public static List<String> mask(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    boolean mysql = !args.isEmpty() && MYSQL_CLIENT.matcher(basename(args.get(0))).matches();
    boolean maskNext = false;
    String previous = "";
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String masked;
      if (maskNext && !arg.startsWith("--")) {
        masked = MASK;
      } else if (i > 0 && USER_OPTIONS.contains(previous) && arg.indexOf(':') > 0) {
        masked = arg.substring(0, arg.indexOf(':') + 1) + MASK;
      } else if (mysql && i > 0 && arg.startsWith("-p") && !arg.startsWith("--") && arg.length() > 2) {
        masked = "-p" + MASK;
      } else {
        masked = maskOne(arg);
      }
      maskNext = OPTION.matcher(arg).matches() && isSecretName(arg);
      previous = arg;
      out.add(masked);
    }
    return out;
  }

  /**
   * The masked arguments joined by spaces and cut to {@value ProcessInfo#MAX_COMMAND_LENGTH} characters
   * (the last kept character then being an ellipsis).
   */
  public static String commandLine(List<String> args) {
    String joined = String.join(" ", mask(args));
    return cut(joined);
  }

  /** {@code text} cut to {@value ProcessInfo#MAX_COMMAND_LENGTH} characters, ending in an ellipsis if cut. */
  public static String cut(String text) {
    if (text.length() <= ProcessInfo.MAX_COMMAND_LENGTH) {
      return text;
    }
    int end = ProcessInfo.MAX_COMMAND_LENGTH - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  private static String maskOne(String arg) {
    Matcher header = HEADER.matcher(arg);
    if (header.matches()) {
      return header.group(1) + ": " + MASK;
    }
    Matcher option = OPTION_ASSIGNMENT.matcher(arg);
    String result;
    if (option.matches() && isSecretName(option.group(1))) {
      result = option.group(1) + "=" + MASK;
    } else {
      result = ASSIGNMENT.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(
          isSecretName(m.group(1)) ? m.group(1) + "=" + MASK : m.group()));
    }
    return Secrets.maskUrlPasswords(result);
  }

  /** Whether an option or variable name ({@code --db-password}, {@code -Dx.token}, {@code PGPASSWORD}) is secret-like. */
  static boolean isSecretName(String name) {
    String n = name.replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
    if (n.startsWith("d") && name.startsWith("-D")) {
      n = n.substring(1);
    }
    for (String word : n.split("[-_.]")) {
      if (SECRET_WORDS.contains(word)) {
        return true;
      }
    }
    String compact = n.replaceAll("[-_.]", "");
    for (String part : SECRET_PARTS) {
      if (compact.contains(part)) {
        return true;
      }
    }
    return false;
  }

  private static String basename(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }
}
