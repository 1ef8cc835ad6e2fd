package dev.vigil.proxy.internal;

import dev.vigil.proxy.ProxyConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpTransport;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes WebSocket upgrades through: the handshake is sent to the upstream over a socket of its own;
 * when the upstream switches protocols, the client's connection is upgraded (Jetty's connection
 * upgrade, as its own WebSocket server does) into a byte tunnel to that socket.
 */
final class WebSocketTunnel {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTunnel.class);
  private static final int MAX_HEAD = 16 * 1024;
  private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-authorization", "proxy-authenticate",
      "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length",
      "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-server", "x-forwarded-port", "forwarded",
      "x-real-ip");

  private final ProxyConfig config;
  private final Function<HttpServletRequest, HttpFields.Mutable> forwarding;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger threads = new AtomicInteger();

  WebSocketTunnel(ProxyConfig config, Function<HttpServletRequest, HttpFields.Mutable> forwarding) {
    this.config = config;
    this.forwarding = forwarding;
  }

  static boolean isUpgrade(HttpServletRequest req) {
    String up = req.getHeader("Upgrade");
    return up != null && "GET".equals(req.getMethod()) && up.trim().equalsIgnoreCase("websocket");
  }

  int open() {
    return open.get();
  }

  void tunnel(HttpServletRequest req, HttpServletResponse resp, String upstreamBase, AppProxyServlet.Exchange x) {
    if (open.get() >= config.maxWebSockets()) {
      write(resp, 503, "{\"error\":\"too_many_websockets\",\"status\":503,\"source\":\"vigil-proxy\"}");
      return;
    }
    URI up = config.upstream();
    int port = up.getPort() > 0 ? up.getPort() : 80;
    Socket socket = new Socket();
    boolean handedOver = false;
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(up.getHost(), port), (int) config.connectTimeout().toMillis());
      socket.setSoTimeout((int) config.readTimeout().toMillis());
      String q = req.getQueryString();
      String basePath = up.getRawPath() == null ? "" : up.getRawPath();
      StringBuilder head = new StringBuilder();
      head.append("GET ").append(basePath).append(req.getRequestURI()).append(q == null ? "" : "?" + q).append(" HTTP/1.1\r\n");
      String host = config.preserveHost() && req.getHeader("Host") != null ? req.getHeader("Host") : up.getHost() + ":" + port;
      head.append("Host: ").append(host).append("\r\n");
      for (Enumeration<String> names = req.getHeaderNames(); names.hasMoreElements(); ) {
        String name = names.nextElement();
        if (HOP.contains(name.toLowerCase(Locale.ROOT))) {
          continue;
        }
        for (Enumeration<String> values = req.getHeaders(name); values.hasMoreElements(); ) {
          head.append(name).append(": ").append(values.nextElement()).append("\r\n");
        }
      }
      for (HttpField f : forwarding.apply(req)) {
        head.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
      }
      head.append("Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int end = -1;
      byte[] chunk = new byte[4096];
      while (end < 0) {
        int n = in.read(chunk);
        if (n < 0) {
          throw new IOException("the upstream closed the connection during the WebSocket handshake");
        }
        buf.write(chunk, 0, n);
        end = headEnd(buf.toByteArray());
        if (end < 0 && buf.size() > MAX_HEAD) {
          throw new IOException("the upstream's handshake answer is over " + MAX_HEAD + " bytes");
        }
      }
      byte[] all = buf.toByteArray();
      String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
      String[] status = lines[0].split(" ", 3);
      int code = Integer.parseInt(status[1]);
      resp.setStatus(code);
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).trim();
        String lower = name.toLowerCase(Locale.ROOT);
        if (HOP.contains(lower) || lower.equalsIgnoreCase(config.userIdHeader())) {
          continue;
        }
        resp.addHeader(name, lines[i].substring(colon + 1).trim());
      }
      if (code != 101) {
        resp.setContentLength(0);
        resp.setHeader("Connection", "close");
        return;
      }
      resp.setHeader("Upgrade", "websocket");
      resp.setHeader("Connection", "Upgrade");
      Request base = Request.getBaseRequest(req);
      EndPoint endPoint = base.getHttpChannel().getEndPoint();
      Executor executor = base.getHttpChannel().getConnector().getExecutor();
      ByteBuffer fromUpstream = ByteBuffer.wrap(all, end + 4, all.length - end - 4);
      socket.setSoTimeout(0);
      Tunnel tunnel = new Tunnel(endPoint, executor, socket, fromUpstream);
      req.setAttribute(HttpTransport.UPGRADE_CONNECTION_ATTRIBUTE, tunnel);
      open.incrementAndGet();
      handedOver = true;
      resp.flushBuffer();
    } catch (IOException | RuntimeException e) {
      LOG.debug("WebSocket handshake with the upstream failed", e);
      if (!resp.isCommitted()) {
        resp.reset();
        write(resp, 502, "{\"error\":\"upstream_unavailable\",\"status\":502,\"source\":\"vigil-proxy\",\"message\":\"WebSocket handshake with the upstream failed\"}");
      }
    } finally {
      if (!handedOver) {
        try {
          socket.close();
        } catch (IOException e) {
          LOG.debug("closing the upstream socket failed", e);
        }
      }
    }
  }

  private static int headEnd(byte[] b) {
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static void write(HttpServletResponse resp, int status, String json) {
    try {
      resp.setStatus(status);
      resp.setContentType("application/json");
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      resp.setContentLength(b.length);
      resp.getOutputStream().write(b);
    } catch (IOException e) {
      LOG.debug("writing a {} failed", status, e);
    }
  }

  /** Bytes both ways between the client's upgraded connection and the upstream socket. */
  private final class Tunnel extends AbstractConnection implements Connection.UpgradeTo {
    private final Socket socket;
    private final ByteBuffer fromUpstream;
    private ByteBuffer fromClient;
    private final ByteBuffer buffer = BufferUtil.allocate(16 * 1024);

    Tunnel(EndPoint endPoint, Executor executor, Socket socket, ByteBuffer fromUpstream) {
      super(endPoint, executor);
      this.socket = socket;
      this.fromUpstream = fromUpstream;
    }

    @Override
    public void onUpgradeTo(ByteBuffer prefilled) {
      if (prefilled != null && prefilled.hasRemaining()) {
        fromClient = ByteBuffer.allocate(prefilled.remaining());
        fromClient.put(prefilled).flip();
      }
    }

    @Override
    public void onOpen() {
      super.onOpen();
      try {
        if (fromClient != null) {
          socket.getOutputStream().write(fromClient.array(), 0, fromClient.remaining());
        }
      } catch (IOException e) {
        close();
        return;
      }
      Thread t = new Thread(this::pumpUpstream, "vigil-proxy-ws-" + threads.incrementAndGet());
      t.setDaemon(true);
      t.start();
      fillInterested();
    }

    private void pumpUpstream() {
      try {
        if (fromUpstream.hasRemaining()) {
          FutureCallback cb = new FutureCallback();
          getEndPoint().write(cb, fromUpstream);
          cb.get();
        }
        InputStream in = socket.getInputStream();
        byte[] b = new byte[16 * 1024];
        int n;
        while ((n = in.read(b)) >= 0) {
          FutureCallback cb = new FutureCallback();
          getEndPoint().write(cb, ByteBuffer.wrap(b, 0, n));
          cb.get();
        }
      } catch (Exception e) {
        LOG.debug("WebSocket tunnel upstream side ended", e);
      } finally {
        close();
      }
    }

    @Override
    public void onFillable() {
      try {
        while (true) {
          BufferUtil.clear(buffer);
          int n = getEndPoint().fill(buffer);
          if (n > 0) {
            socket.getOutputStream().write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
          } else if (n == 0) {
            fillInterested();
            return;
          } else {
            close();
            return;
          }
        }
      } catch (IOException e) {
        LOG.debug("WebSocket tunnel client side ended", e);
        close();
      }
    }

    @Override
    public void onClose(Throwable cause) {
      super.onClose(cause);
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing the upstream socket failed", e);
      }
      open.decrementAndGet();
    }
  }
}
