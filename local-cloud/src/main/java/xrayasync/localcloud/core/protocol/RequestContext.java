package xrayasync.localcloud.core.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import xrayasync.localcloud.core.http.EdgeRequest;
import xrayasync.localcloud.core.http.ResponseBody;

/**
 * What an operation's handler may need of a request beyond its modelled members (headers no model names, such as
 * {@code X-Amzn-Trace-Id}; the body of a streaming upload, as a stream), and what it adds to the answer beyond the
 * response object: the request id the service reports, a streaming body and the status of a partial answer.
 */
public final class RequestContext implements AutoCloseable {

    private final EdgeRequest request;
    private String requestId = UUID.randomUUID().toString();
    private ResponseBody streamingOutput;
    private Integer status;

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

    /** The body as it comes, once, for operations whose input streams (an upload). */
    public InputStream streamingInput() {
        return request.bodyStream();
    }

    public String requestId() {
        return requestId;
    }

    /** Sets the request id the answer carries: the id the service gave this request (an invocation's, say). */
    public void requestId(String id) {
        requestId = id;
    }

    /** The body of an answer whose output streams (a download); null when it has none. */
    ResponseBody streamingOutput() {
        return streamingOutput;
    }

    /** Sets the answer's body; it is closed when the answer is sent or abandoned. */
    public void streamingOutput(ResponseBody body) {
        streamingOutput = body;
    }

    /** The answer's status when the handler set one the model has no member for (S3's 206), else null. */
    Integer status() {
        return status;
    }

    /** Sets the answer's status, for one the response object cannot carry. */
    public void status(int code) {
        status = code;
    }

    /** Closes what the streaming output holds open. */
    @Override
    public void close() throws IOException {
        if (streamingOutput != null) {
            streamingOutput.close();
        }
    }
}
