package io.grey.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty refuses before they reach the API (an illegal character or ambiguous encoding in
 * the path, a malformed request line) with Grey's JSON error body instead of an HTML page. A refused path is
 * reported as {@code invalid_key}, since every path Grey serves is a key; other refusals as
 * {@code invalid_request}. Never includes a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback callback) {
    byte[] body = body(code, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, HttpApi.JSON);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  /** Every method gets a body: Grey's clients read the code from PUTs and DELETEs too. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
      String contentType, List<Charset> charsets, int code, String message, Throwable cause) {
    generateResponse(request, response, code, message, cause, callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, HttpApi.JSON));
    return ByteBuffer.wrap(body(status, reason));
  }

  static byte[] body(int status, String reason) {
    String text = reason == null ? "" : reason;
    String lower = text.toLowerCase(Locale.ROOT);
    String code;
    String message;
    if (status == 400 && (lower.contains("path") || lower.contains("uri") || lower.contains("ambiguous"))) {
      code = "invalid_key";
      message = "the request path is not a valid key: " + printable(text);
    } else if (status >= 400 && status < 500) {
      code = status == 404 ? "not_found" : "invalid_request";
      message = text.isEmpty() ? "the request was refused" : "the request was refused: " + printable(text);
    } else {
      code = ApiError.INTERNAL;
      message = "internal server error";
    }
    return ("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** Keeps a reason safe to embed in a JSON string literal. */
  private static String printable(String text) {
    StringBuilder sb = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append(c);
      }
    }
    return sb.length() > 200 ? sb.substring(0, 200) : sb.toString();
  }
}
