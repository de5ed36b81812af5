package xrayasync.localcloud.core.http;

/**
 * An error a local AWS service answers with: the HTTP status, the AWS error code clients branch on, and a message
 * for the person reading it. Services throw it; {@link WireProtocol} renders it in the shape their clients expect.
 */
public class ServiceException extends RuntimeException {

    private final int status;
    private final String errorCode;

    public ServiceException(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
