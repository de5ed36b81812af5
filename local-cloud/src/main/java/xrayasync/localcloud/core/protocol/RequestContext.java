package xrayasync.localcloud.core.protocol;

import java.util.UUID;
import xrayasync.localcloud.core.http.EdgeRequest;

/**
 * What an operation's handler may need of a request beyond its modelled members (headers no model names, such as
 * {@code X-Amzn-Trace-Id}; the raw body of a streaming upload), and what it adds to the answer beyond the response
 * object: the request id the service reports, a streaming body.
 */
public final class RequestContext {

    private final EdgeRequest request;
    private String requestId = UUID.randomUUID().toString();
    private byte[] streamingOutput;

    RequestContext(EdgeRequest request) {
        this.request = request;
    }

    /** A request header's first value, or null. */
    public String header(String name) {
        return request.header(name);
    }

    /** The path as sent, still percent-encoded: what names the resource of a request sent to its URL (an SQS queue). */
    public String path() {
        return request.rawPath();
    }

    /** The body as it came, for operations whose input streams (an upload). */
    public byte[] body() {
        return request.body();
    }

    public String requestId() {
        return requestId;
    }

    /** Sets the request id the answer carries: the id the service gave this request (an invocation's, say). */
    public void requestId(String id) {
        requestId = id;
    }

    /** The body of an answer whose output streams (a download); null when it has none. */
    byte[] streamingOutput() {
        return streamingOutput;
    }

    public void streamingOutput(byte[] bytes) {
        streamingOutput = bytes;
    }
}
