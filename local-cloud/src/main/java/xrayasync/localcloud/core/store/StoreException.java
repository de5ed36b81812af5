package xrayasync.localcloud.core.store;

/** A failure of the local cloud's database or blob folder, which no caller can mend. */
public final class StoreException extends RuntimeException {

    StoreException(Throwable cause) {
        super("The local cloud's store failed: " + cause.getMessage(), cause);
    }
}
