package dev.vigil.proxy.internal;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, refusing a request that carries both {@code Content-Length} and
 * {@code Transfer-Encoding} (RFC 9112 §6.1 allows it): a proxy that picks one of the two while the
 * upstream picks the other can be made to smuggle a request, so such a request gets 400 and goes
 * nowhere.
 */
final class RequestDecoder extends HttpRequestDecoder {
  RequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException("a request may not carry both Content-Length and Transfer-Encoding");
  }
}
