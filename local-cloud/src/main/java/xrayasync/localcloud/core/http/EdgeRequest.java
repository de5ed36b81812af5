package xrayasync.localcloud.core.http;

import com.sun.net.httpserver.HttpExchange;

/** A request on the edge port, read once: the exchange to answer on and the whole body it carried. */
public record EdgeRequest(HttpExchange exchange, byte[] body) {

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
