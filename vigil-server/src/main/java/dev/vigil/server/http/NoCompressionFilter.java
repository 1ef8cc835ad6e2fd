package dev.vigil.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * Honours the {@code x-no-compression} request header: the request is seen without its
 * {@code Accept-Encoding}, so the response goes out uncompressed whatever its size.
 */
final class NoCompressionFilter implements Filter {
  /** The opt-out header. */
  public static final String HEADER = "x-no-compression";

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && http.getHeader(HEADER) != null) {
      chain.doFilter(new WithoutAcceptEncoding(http), response);
    } else {
      chain.doFilter(request, response);
    }
  }

  private static final class WithoutAcceptEncoding extends HttpServletRequestWrapper {
    WithoutAcceptEncoding(HttpServletRequest request) {
      super(request);
    }

    @Override
    public String getHeader(String name) {
      return "accept-encoding".equalsIgnoreCase(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return "accept-encoding".equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }
  }
}
