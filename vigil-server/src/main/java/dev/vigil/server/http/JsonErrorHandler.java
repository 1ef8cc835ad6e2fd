package dev.vigil.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a header too large, a URI it refuses) in the API's JSON error shape
 * instead of an HTML page, and never with a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  /** Creates the handler with stack traces off. */
  public JsonErrorHandler() {
    setShowStacks(false);
    setShowServlet(false);
    setShowMessageInTitle(false);
  }

  @Override
  public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    baseRequest.setHandled(true);
    int status = response.getStatus();
    response.setContentType("application/json");
    response.getOutputStream().write(body(status, HttpStatus.getMessage(status)));
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put("Content-Type", "application/json");
    return ByteBuffer.wrap(body(status, reason == null ? HttpStatus.getMessage(status) : reason));
  }

  private static byte[] body(int status, String message) {
    String code = status == 431 ? "headers_too_large" : status == 413 ? "body_too_large"
        : status >= 500 ? "internal_error" : "bad_request";
    try {
      return Json.MAPPER.writeValueAsString(Map.of("error", Map.of("code", code, "message", message)))
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write error body", e);
    }
  }
}
