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
    private final String queryErrorCode;
    private final Map<String, String> headers;

    public ServiceException(int status, String errorCode, String message) {
        this(status, errorCode, null, message, Map.of());
    }

    public ServiceException(int status, String errorCode, String message, Map<String, String> headers) {
        this(status, errorCode, null, message, headers);
    }

    /**
     * An error of a service that moved from the query protocol to AWS JSON (SQS): its AWS JSON code is the error's
     * shape name, and its query code the one the service answered with before, which its clients still branch on.
     */
    public ServiceException(int status, String errorCode, String queryErrorCode, String message) {
        this(status, errorCode, queryErrorCode, message, Map.of());
    }

    private ServiceException(int status, String errorCode, String queryErrorCode, String message,
            Map<String, String> headers) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.queryErrorCode = queryErrorCode;
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

    /** The error's code in the query protocol: its own for a query-compatible service's error, else the code. */
    public String queryErrorCode() {
        return queryErrorCode == null ? errorCode : queryErrorCode;
    }

    /** Whether the error carries a query code of its own, which AWS JSON sends in {@code x-amzn-query-error}. */
    boolean queryCompatible() {
        return queryErrorCode != null;
    }

    /** Sender for the caller's mistakes, Receiver for the service's: the fault the query protocol names. */
    String fault() {
        return status < 500 ? "Sender" : "Receiver";
    }
}
