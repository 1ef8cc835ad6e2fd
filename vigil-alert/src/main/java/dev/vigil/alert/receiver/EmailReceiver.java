package dev.vigil.alert.receiver;

import dev.vigil.alert.Notification;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Email over SMTP (Jakarta Mail): STARTTLS (required when set) and login, a multipart message with a
 * text and an HTML part, UTF-8 subject (Arabic summaries read right), and a header
 * {@code X-Vigil-Idempotency-Key}. A refused login is a permanent failure with one clear message.
 */
public final class EmailReceiver implements Receiver {
  private final String name;
  private final Smtp smtp;
  private final InternetAddress from;
  private final InternetAddress[] to;

  /**
   * SMTP settings.
   *
   * @param host server
   * @param port port (587 for STARTTLS submission)
   * @param username login, or {@code null} for none
   * @param password password
   * @param starttls require STARTTLS
   * @param trustAll trust any server certificate (tests and private CAs only)
   * @param timeout connect and read timeout
   */
  public record Smtp(String host, int port, String username, Secret password, boolean starttls, boolean trustAll,
      Duration timeout) {
    /** Validates. */
    public Smtp {
      if (host == null || host.isBlank() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("smtp needs a host and a port 1-65535, got " + host + ":" + port);
      }
    }
  }

  /** An email receiver. */
  public EmailReceiver(String name, Smtp smtp, String from, List<String> to) {
    this.name = name;
    this.smtp = smtp;
    try {
      this.from = new InternetAddress(from == null ? "vigil@" + smtp.host() : from, true);
      if (to == null || to.isEmpty()) {
        throw new IllegalArgumentException("receiver " + name + " needs at least one address in to");
      }
      this.to = new InternetAddress[to.size()];
      for (int i = 0; i < to.size(); i++) {
        this.to[i] = new InternetAddress(to.get(i), true);
      }
    } catch (AddressException e) {
      throw new IllegalArgumentException("receiver " + name + " has a bad email address: " + e.getRef(), e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "email";
  }

  @Override
  public void send(Notification n, String idempotencyKey) throws DeliveryException {
    Properties p = new Properties();
    String t = Long.toString(smtp.timeout().toMillis());
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", t);
    p.put("mail.smtp.timeout", t);
    p.put("mail.smtp.writetimeout", t);
    p.put("mail.smtp.auth", Boolean.toString(smtp.username() != null));
    p.put("mail.smtp.starttls.enable", Boolean.toString(smtp.starttls()));
    p.put("mail.smtp.starttls.required", Boolean.toString(smtp.starttls()));
    if (smtp.trustAll()) {
      p.put("mail.smtp.ssl.trust", "*");
      p.put("mail.smtp.ssl.checkserveridentity", "false");
    } else {
      p.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    Session session = Session.getInstance(p);
    String where = "SMTP " + smtp.host() + ":" + smtp.port() + " of receiver " + name;
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(from);
      m.setRecipients(Message.RecipientType.TO, to);
      m.setSubject(subject(n), "UTF-8");
      m.setHeader("X-Vigil-Idempotency-Key", idempotencyKey);
      MimeMultipart alt = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(Json.text(n) + (n.externalUrl().isEmpty() ? "" : "\n" + n.externalUrl() + "\n"), "UTF-8");
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(html(n), "text/html; charset=UTF-8");
      alt.addBodyPart(text);
      alt.addBodyPart(html);
      m.setContent(alt);
      m.saveChanges();
      try (Transport tr = session.getTransport("smtp")) {
        tr.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password() == null ? null : smtp.password().reveal());
        tr.sendMessage(m, m.getAllRecipients());
      }
    } catch (AuthenticationFailedException e) {
      throw new DeliveryException(where + " refused the login of user " + smtp.username()
          + " (wrong username or password)", true, null);
    } catch (SendFailedException e) {
      throw new DeliveryException(where + " refused the recipients: " + clean(e), true, null);
    } catch (MessagingException e) {
      throw new DeliveryException(where + " failed: " + clean(e), false, e);
    }
  }

  private String clean(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (smtp.password() != null && !smtp.password().isEmpty()) {
      m = m.replace(smtp.password().reveal(), Secret.MASK);
    }
    return m.strip();
  }

  static String subject(Notification n) {
    String s = n.title();
    String summary = n.commonAnnotations().get("summary");
    if (summary != null) {
      s += ": " + summary;
    }
    String ar = n.commonAnnotations().get("summary_ar");
    if (ar != null) {
      s += " | " + ar;
    }
    return SlackReceiver.truncate(s.replaceAll("[\\r\\n]+", " "), 250);
  }

  static String html(Notification n) {
    StringBuilder sb = new StringBuilder("<!doctype html><html><body style=\"font-family:sans-serif\">");
    sb.append("<h2>").append(esc(n.title())).append("</h2><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">");
    sb.append("<tr><th>Status</th><th>Alert</th><th>Summary</th><th>Labels</th></tr>");
    for (Notification.Item i : n.alerts()) {
      sb.append("<tr><td>").append(i.resolved() ? "resolved" : "firing").append("</td><td>")
          .append(esc(i.labels().getOrDefault("alertname", ""))).append("</td><td><div dir=\"auto\">")
          .append(esc(i.annotations().getOrDefault("summary", ""))).append("</div>");
      String ar = i.annotations().get("summary_ar");
      if (ar != null) {
        sb.append("<div dir=\"rtl\" lang=\"ar\">").append(esc(ar)).append("</div>");
      }
      sb.append("</td><td><code>").append(esc(Json.labels(i.labels()))).append("</code></td></tr>");
    }
    sb.append("</table>");
    if (!n.externalUrl().isEmpty()) {
      sb.append("<p><a href=\"").append(esc(n.externalUrl())).append("\">Open Vigil</a></p>");
    }
    return sb.append("</body></html>").toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
