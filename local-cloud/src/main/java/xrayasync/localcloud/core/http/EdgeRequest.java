package xrayasync.localcloud.core.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A request on the edge port: the exchange to answer on, and its body, read only when an operation asks for it,
 * either whole (the small documents of the JSON, XML and query protocols) or once as a stream (an upload, which is
 * never held in memory).
 */
public final class EdgeRequest {

    private final HttpExchange exchange;
    private byte[] body;
    private boolean streamed;

    public EdgeRequest(HttpExchange exchange) {
        this.exchange = exchange;
    }

    public HttpExchange exchange() {
        return exchange;
    }

    /** The whole body, read at the first call and kept for the next ones. */
    public byte[] body() {
        if (body == null) {
            if (streamed) {
                throw new IllegalStateException("The body of " + method() + " " + rawPath() + " was streamed already.");
            }
            try {
                body = exchange.getRequestBody().readAllBytes();
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        return body;
    }

    /** The body as a stream, to be read once; the bytes read so far when {@link #body()} came first. */
    public InputStream bodyStream() {
        if (body != null) {
            return new ByteArrayInputStream(body);
        }
        if (streamed) {
            throw new IllegalStateException("The body of " + method() + " " + rawPath() + " was streamed already.");
        }
        streamed = true;
        return exchange.getRequestBody();
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return exchange.getRequestURI().getRawPath();
    }

    public String rawQuery() {
        return exchange.getRequestURI().getRawQuery();
    }

    /** A request header's first value, or null. */
    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }
}
