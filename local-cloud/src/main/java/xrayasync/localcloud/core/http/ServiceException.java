package xrayasync.localcloud.core.http;

/**
 * An error a local AWS service answers with: the HTTP status, the AWS error code clients branch on, and a message
 * for the person reading it. Services throw it; {@link WireProtocol} renders it in the shape their clients expect.
 */
public class ServiceException extends RuntimeException {

    private final int status;
    private final String errorCode;
    private final String queryErrorCode;

    public ServiceException(int status, String errorCode, String message) {
        this(status, errorCode, null, message);
    }

    /**
     * An error of a service that moved from the query protocol to AWS JSON (SQS): its AWS JSON code is the error's
     * shape name, and its query code the one the service answered with before, which its clients still branch on.
     */
    public ServiceException(int status, String errorCode, String queryErrorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.queryErrorCode = queryErrorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
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
