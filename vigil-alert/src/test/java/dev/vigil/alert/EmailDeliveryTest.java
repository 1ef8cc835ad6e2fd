package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.alert.queue.Job;
import dev.vigil.alert.queue.MutableClock;
import dev.vigil.core.store.StateStore;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

/** Email to an in-process SMTP server that requires STARTTLS and login (SubEthaSMTP). */
class EmailDeliveryTest {
  static final String PASSWORD = "right-horse-battery";
  static SMTPServer smtp;
  static final List<byte[]> received = new CopyOnWriteArrayList<>();
  static final AtomicInteger logins = new AtomicInteger();
  @TempDir static Path keys;
  @TempDir Path dir;

  @BeforeAll
  static void startSmtp() throws Exception {
    Path ks = keys.resolve("smtp.p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    smtp = SMTPServer.port(0).bindAddress(java.net.InetAddress.getLoopbackAddress())
        .enableTLS().requireTLS().startTlsSocketFactory(ssl)
        .requireAuth()
        .authenticationHandlerFactory(new EasyAuthenticationHandlerFactory((user, password, ctx) -> {
          logins.incrementAndGet();
          if (!"vigil".equals(user) || !PASSWORD.equals(password)) {
            throw new LoginFailedException("bad credentials");
          }
        }))
        .messageHandler((ctx, from, to, data) -> received.add(data))
        .build();
    smtp.start();
  }

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  private AlertEngine engine(StateStore store, MutableClock clock, String password) {
    String yaml = """
        builtin: {enabled: false}
        receivers:
          team-mail:
            type: email
            from: vigil@example.com
            to: [ops@example.com]
            smtp: {host: 127.0.0.1, port: %d, username: vigil, password: "${SMTP_PASSWORD}", starttls: true, insecure_skip_verify: true}
        route: {receiver: team-mail, group_wait: 0s}
        """.formatted(smtp.getPortAllocated());
    return new AlertEngine(Fixtures.config(yaml, Map.of("SMTP_PASSWORD", password)), store, new Fixtures.Values(), clock);
  }

  @Test
  void sendsMultipartWithArabicSubjectOverStartTlsAndLogin() throws Exception {
    received.clear();
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    try (StateStore store = StateStore.open(null, dir); AlertEngine engine = engine(store, clock, PASSWORD)) {
      engine.raise("DiskCritical", "critical", Map.of(), "القرص ممتلئ");
      clock.advance(Duration.ofSeconds(1));
      assertThat(engine.evaluate()).hasSize(1);
      assertThat(engine.deliverDue("team-mail")).isEqualTo(1);
      assertThat(received).hasSize(1);
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.get(0)));
      assertThat(m.getSubject()).contains("DiskCritical").contains("القرص ممتلئ");
      assertThat(m.getHeader("X-Vigil-Idempotency-Key")[0]).startsWith("n:team-mail:");
      Multipart mp = (Multipart) m.getContent();
      assertThat(mp.getContentType()).startsWith("multipart/alternative");
      assertThat(mp.getBodyPart(0).getContentType()).startsWith("text/plain");
      assertThat(mp.getBodyPart(1).getContentType()).startsWith("text/html");
      assertThat((String) mp.getBodyPart(1).getContent()).contains("<div dir=\"auto\">القرص ممتلئ</div>").doesNotContain(PASSWORD);
      assertThat(engine.queue().jobs("team-mail", null, 10)).singleElement()
          .satisfies(j -> assertThat(j.status()).isEqualTo(Job.DONE));
    }
  }

  @Test
  void wrongPasswordIsOneClearErrorNotARetryStorm() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    try (StateStore store = StateStore.open(null, dir); AlertEngine engine = engine(store, clock, "wrong-pass")) {
      int before = logins.get();
      engine.raise("DiskCritical", "critical", Map.of(), "disk full");
      clock.advance(Duration.ofSeconds(1));
      engine.evaluate();
      for (int i = 0; i < 30; i++) {
        engine.deliverDue("team-mail");
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(logins.get() - before).isEqualTo(1);
      List<AlertEngine.Delivery> log = engine.notifications(10);
      assertThat(log).singleElement().satisfies(d -> {
        assertThat(d.status()).isEqualTo(Job.DEAD);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastError()).isEqualTo("SMTP 127.0.0.1:" + smtp.getPortAllocated()
            + " of receiver team-mail refused the login of user vigil (wrong username or password)");
        assertThat(d.log()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo("DEAD"));
      });
      assertThat(log.toString()).doesNotContain("wrong-pass");
    }
  }
}
