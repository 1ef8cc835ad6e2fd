package dev.vigil.alert.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS trust of a probe with {@code ca_file}: exactly the certificates of that PEM file (a private
 * CA, or a self-signed server certificate), so an internal endpoint is checked with its certificate
 * verified (chain, expiry, host name) instead of with verification turned off.
 */
final class CaTrust {
  private CaTrust() {
  }

  /**
   * An SSL context trusting the certificates in {@code file}.
   *
   * @throws IllegalArgumentException naming the probe and the file when it is missing, unreadable or
   *     holds no X.509 certificate
   */
  static SSLContext load(String probe, Path file) {
    String where = "probe " + probe + ": ca_file " + file;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(where + " does not exist or is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(where + " is not readable by this user");
    }
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(where + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return ssl;
    } catch (IOException e) {
      throw new IllegalArgumentException(where + " cannot be read: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(where + " is not a PEM certificate file: " + e.getMessage(), e);
    }
  }
}
