package xrayasync.localcloud.core.http;

import java.util.Map;

/**
 * An error a local AWS service answers with: the HTTP status, the AWS error code clients branch on, and a message
 * for the person reading it, and the headers some errors carry (S3's 416 its Content-Range). Services throw it;
 * {@link WireProtocol} renders it in the shape their clients expect.
 */
public class ServiceException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final Map<String, String> headers;

    public ServiceException(int status, String errorCode, String message) {
        this(status, errorCode, message, Map.of());
    }

    public ServiceException(int status, String errorCode, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    /** Headers the error's answer carries beside the protocol's own. */
    public Map<String, String> headers() {
        return headers;
    }
}
