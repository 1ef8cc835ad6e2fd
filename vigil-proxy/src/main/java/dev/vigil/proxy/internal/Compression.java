package dev.vigil.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Locale;

/**
 * gzip for answers without a {@code Content-Encoding} of their own, to clients that accept it: not
 * below the smallest size worth it, not for event streams, images, audio, video or archives, and not
 * for a request carrying {@code x-no-compression}. A strong {@code ETag} of a compressed answer gets
 * a {@code --gzip} suffix (the representation differs); {@link ResponseCache#noneMatch} takes both.
 */
final class Compression extends HttpContentCompressor {
  /** Suffix of the ETag of a compressed answer. */
  static final String ETAG_SUFFIX = "--gzip";

  Compression(int minBytes) {
    super(6, 15, 8, minBytes);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, HttpRequest msg, List<Object> out) throws Exception {
    if (msg.headers().contains("x-no-compression")) {
      msg.headers().remove(HttpHeaderNames.ACCEPT_ENCODING);
    }
    super.decode(ctx, msg, out);
  }

  @Override
  protected Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type != null && !compressible(type.toLowerCase(Locale.ROOT))) {
      return null;
    }
    Result r = super.beginEncode(response, acceptEncoding);
    if (r != null) {
      String etag = response.headers().get(HttpHeaderNames.ETAG);
      if (etag != null && !etag.startsWith("W/") && etag.endsWith("\"")) {
        response.headers().set(HttpHeaderNames.ETAG, etag.substring(0, etag.length() - 1) + ETAG_SUFFIX + "\"");
      }
    }
    return r;
  }

  private static boolean compressible(String type) {
    return !(type.startsWith("text/event-stream") || type.startsWith("image/") || type.startsWith("audio/")
        || type.startsWith("video/") || type.startsWith("application/zip") || type.startsWith("application/gzip")
        || type.startsWith("application/x-gzip") || type.startsWith("application/zstd")
        || type.startsWith("application/x-7z") || type.startsWith("application/x-rar")
        || type.startsWith("application/x-bzip2") || type.startsWith("application/x-xz")
        || type.startsWith("font/woff2"));
  }
}
