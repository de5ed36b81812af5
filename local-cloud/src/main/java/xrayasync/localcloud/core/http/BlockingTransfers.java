package xrayasync.localcloud.core.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where the edge copies big bodies between a socket and files: a few platform threads, while the exchange's virtual
 * thread parks on the result.
 *
 * <p>A virtual thread in a blocking file read or write holds its carrier for as long as the call lasts (file I/O
 * cannot park), and a copy of a 100 MB object is thousands of such calls back to back; with every carrier held so,
 * the other exchanges would wait (see "Virtual threads" in the design). The pool is bounded: with more transfers
 * than threads the rest queue, which slows them and blocks no one else, and idle threads end.
 */
public final class BlockingTransfers {

    private static final int THREADS = 16;
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("edge-transfer-", 1).factory());

    static {
        POOL.allowCoreThreadTimeOut(true);
    }

    private BlockingTransfers() {
    }

    /** Runs the transfer on a platform thread and returns its result; what it throws is thrown here. */
    public static <T> T run(Callable<T> transfer) throws IOException {
        Future<T> result = POOL.submit(transfer);
        try {
            return result.get();
        } catch (InterruptedException interrupted) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("The local cloud stopped a transfer it was shutting down for.");
        } catch (ExecutionException failed) {
            switch (failed.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                case Throwable other -> throw new IOException(other);
            }
        }
    }
}
