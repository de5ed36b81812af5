package xrayasync.localcloud.core.lambda;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import xrayasync.localcloud.core.logs.LogsService;
import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * Where the local cloud writes what happens to functions: into CloudWatch Logs as Lambda does (each execution
 * environment's stream, the function's output and Lambda's records in the function's log format), and into its own
 * transcript, printed with the function's name in front and kept for the harness, where Lambda's records are the
 * text lines whatever the log format.
 */
public final class CloudLog implements AutoCloseable {

    /** One transcript line, with the function it belongs to. */
    public record Line(String function, String text) {
    }

    // Compared by identity: the printer's signal that nothing more will come.
    private static final String END = new String("end of log");
    private static final DateTimeFormatter STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final LogsService logs;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<String> toPrint = new LinkedBlockingQueue<>();
    private final Thread printer;

    /**
     * @param out where transcript lines are printed as they come, or null to keep them only. One platform thread
     *     prints them: a write to a pipe nobody reads blocks, and it must block that thread only, never an invocation
     *     or a carrier of the virtual-thread scheduler.
     */
    public CloudLog(PrintStream out, LogsService logs, Clock clock) {
        this.logs = logs;
        this.clock = clock;
        printer = out == null ? null : Thread.ofPlatform().daemon().name("cloud-log-printer").start(() -> print(out));
    }

    /** A line of the cloud's own about a function: in the transcript only, as it is no output of the function's. */
    public void write(String function, String text) {
        lines.add(new Line(function, text));
        if (printer != null) {
            toPrint.add("[" + function + "] " + text);
        }
    }

    /**
     * A new execution environment's log stream, named as Lambda names it: {@code 2026/11/29/[$LATEST]<32 hex digits>}
     * in the function's log group.
     */
    FunctionLogStream stream(FunctionDefinition function, String version) {
        String name = STREAM_DATE.format(clock.instant()) + "/[" + version + "]"
                + HexFormat.of().formatHex(randomBytes(16));
        return new FunctionLogStream(function, name, this);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** Puts one event in a function's stream in CloudWatch Logs. */
    void put(FunctionDefinition function, String stream, String message) {
        logs.putSoon(function.logGroup(), stream, clock.millis(), message, failure -> System.err.println(
                "CloudWatch Logs could not keep a line of " + function.name() + ": " + failure.getMessage()));
    }

    Clock clock() {
        return clock;
    }

    private void print(PrintStream out) {
        try {
            for (String line = toPrint.take(); line != END; line = toPrint.take()) {
                out.println(line);
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
    }

    /** The transcript lines written so far for one function. */
    public List<String> lines(String function) {
        List<String> texts = new ArrayList<>();
        lines.stream().filter(line -> line.function().equals(function)).forEach(line -> texts.add(line.text()));
        return texts;
    }

    /** Prints what is still waiting (for at most two seconds), then stops printing. */
    @Override
    public void close() throws InterruptedException {
        if (printer != null) {
            toPrint.add(END);
            printer.join(2_000);
        }
    }
}
