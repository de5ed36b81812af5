package xrayasync.localcloud.core.lambda;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * One of a function JVM's output streams, read line by line into its log. The reader is a platform thread, never a
 * virtual one: a read of a process pipe blocks its carrier for as long as the function is quiet, and a few such readers
 * held every carrier of the virtual-thread scheduler and froze every HTTP exchange of the cloud. It tells when it is
 * idle (waiting for output), so an invocation can end after the lines its function wrote.
 */
final class OutputPipe {

    private static final long QUIET_NANOS = 2_000_000;

    private final InputStream output;
    private final Consumer<String> lines;
    // When the reader last started waiting for output; 0 while it has bytes in hand.
    private volatile long idleSince;

    private OutputPipe(InputStream output, Consumer<String> lines) {
        this.output = output;
        this.lines = lines;
    }

    /** Starts reading a stream on a platform thread of the given name. */
    static OutputPipe start(InputStream output, String threadName, Consumer<String> lines) {
        OutputPipe pipe = new OutputPipe(output, lines);
        Thread.ofPlatform().daemon().name(threadName).start(pipe::read);
        return pipe;
    }

    private void read() {
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (output) {
            while (true) {
                idleSince = System.nanoTime();
                int count = output.read(buffer);
                idleSince = 0;
                if (count < 0) {
                    break;
                }
                for (int i = 0; i < count; i++) {
                    if (buffer[i] == '\n') {
                        emit(line);
                    } else {
                        line.write(buffer[i]);
                    }
                }
            }
        } catch (IOException ended) {
            // The runtime process is gone (killed or retired); its output ends here.
        }
        if (line.size() > 0) {
            emit(line);
        }
        idleSince = System.nanoTime();
    }

    private void emit(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        lines.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        line.reset();
    }

    /** Whether the reader has been waiting for output (all it was given is written) for a moment. */
    boolean quiet() {
        long since = idleSince;
        return since != 0 && System.nanoTime() - since >= QUIET_NANOS;
    }
}
