package dev.vigil.alert.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.alert.Alert;
import dev.vigil.alert.AlertEngine;
import dev.vigil.alert.AlertsConfig;
import dev.vigil.core.store.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS expiry check against a real HTTPS server whose certificate, valid for 5 days, is signed by a
 * private CA made with the JDK's keytool: with {@code ca_file} the probe is up and reports the days
 * left, and the certificate alert fires (under the 14-day threshold); without it the probe is down with
 * a TLS error; a missing or bad {@code ca_file} fails at configuration load, naming probe and path.
 */
class CertificateProbeTest {
  private static final char[] PASS = "changeit".toCharArray();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  @TempDir Path dir;
  private HttpsServer https;
  private StateStore store;

  @BeforeEach
  void start() throws Exception {
    keytool("-genkeypair", "-alias", "ca", "-dname", "CN=Vigil Test CA", "-keyalg", "EC", "-validity", "30",
        "-ext", "bc:c", "-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-file", "ca.pem");
    keytool("-genkeypair", "-alias", "server", "-dname", "CN=127.0.0.1", "-keyalg", "EC", "-validity", "5",
        "-keystore", "server.p12", "-storetype", "PKCS12", "-storepass", "changeit");
    keytool("-certreq", "-alias", "server", "-keystore", "server.p12", "-storepass", "changeit", "-file", "server.csr");
    keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", "changeit", "-infile", "server.csr",
        "-outfile", "server.pem", "-rfc", "-validity", "5", "-ext", "san=ip:127.0.0.1");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "server.p12",
        "-storepass", "changeit");
    keytool("-importcert", "-alias", "server", "-file", "server.pem", "-keystore", "server.p12",
        "-storepass", "changeit");

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      ks.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, PASS);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(ssl));
    https.createContext("/", ex -> {
      byte[] b = "ERP ready".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    https.start();
    store = StateStore.open(null, dir.resolve("store"));
  }

  @AfterEach
  void stop() {
    https.stop(0);
    store.close();
  }

  @Test
  void daysLeftAreReportedAndTheAlertFiresUnderTheThreshold() throws Exception {
    String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/";
    Probes probes = Probes.parse(YAML.readTree("""
        - {name: internal, url: "%s", expect_keyword: ready, ca_file: "%s"}
        - {name: untrusted, url: "%s"}
        """.formatted(url, dir.resolve("ca.pem"), url)), store, Clock.systemUTC());
    ProbeResult ok = probes.check(probes.probes().get(0));
    assertThat(ok.up()).as(String.valueOf(ok.error())).isTrue();
    assertThat(ok.certExpiresAt()).isNotNull();
    ProbeResult bad = probes.check(probes.probes().get(1));
    assertThat(bad.up()).isFalse();
    assertThat(bad.error()).contains("TLS");

    Probes.Status status = probes.status().get(0);
    assertThat(status.certDaysLeft()).isBetween(4.9, 5.01);
    assertThat(probes.read("vigil_probe_cert_days_left")).singleElement()
        .satisfies(s -> assertThat(s.value()).isBetween(4.9, 5.01));

    AlertsConfig config = AlertsConfig.parse(YAML.readTree("builtin: {enabled: false}"), Map.of())
        .withRules(Probes.rules());
    try (AlertEngine engine = new AlertEngine(config, store, probes, Clock.systemUTC())) {
      engine.evaluate();
      List<Alert> firing = new ArrayList<>();
      engine.alerts().forEach(v -> firing.add(v.alert()));
      assertThat(firing).anySatisfy(a -> {
        assertThat(a.name()).isEqualTo("ProbeCertificateExpiring");
        assertThat(a.labels()).containsEntry("probe", "internal");
        assertThat(a.state()).isEqualTo(Alert.State.FIRING);
        assertThat(a.annotations().get("summary")).matches("TLS certificate of internal expires in (4\\.9\\d*|5) days");
      });
    }
  }

  @Test
  void aMissingOrBadCaFileFailsAtLoadNamingProbeAndPath() throws Exception {
    Path missing = dir.resolve("nope.pem");
    assertThatThrownBy(() -> Probes.parse(YAML.readTree("[{name: erp, url: \"https://127.0.0.1/\", ca_file: \""
        + missing + "\"}]"), store, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probe erp").hasMessageContaining("ca_file " + missing).hasMessageContaining("does not exist");
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate");
    assertThatThrownBy(() -> Probes.parse(YAML.readTree("[{name: erp, url: \"https://127.0.0.1/\", ca_file: \""
        + junk + "\"}]"), store, Clock.systemUTC()))
        .hasMessageContaining("probe erp").hasMessageContaining("ca_file " + junk);
    assertThatThrownBy(() -> Probes.parse(YAML.readTree("[{name: erp, url: \"http://127.0.0.1/\", ca_file: \""
        + dir.resolve("ca.pem") + "\"}]"), store, Clock.systemUTC()))
        .hasMessageContaining("probe erp").hasMessageContaining("ca_file is for https URLs");
  }

  private void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }
}
