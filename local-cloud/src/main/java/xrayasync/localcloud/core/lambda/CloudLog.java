package xrayasync.localcloud.core.lambda;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Where the local cloud writes what CloudWatch Logs would show: function output and platform lines, by function. */
public final class CloudLog implements AutoCloseable {

    /** One line, with the function it belongs to. */
    public record Line(String function, String text) {
    }

    // Compared by identity: the printer's signal that nothing more will come.
    private static final String END = new String("end of log");

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<String> toPrint = new LinkedBlockingQueue<>();
    private final Thread printer;

    /**
     * @param out where lines are printed as they come, or null to keep them only. One platform thread prints them: a
     *     write to a pipe nobody reads blocks, and it must block that thread only, never an invocation or a carrier
     *     of the virtual-thread scheduler.
     */
    public CloudLog(PrintStream out) {
        printer = out == null ? null : Thread.ofPlatform().daemon().name("cloud-log-printer").start(() -> print(out));
    }

    public void write(String function, String text) {
        lines.add(new Line(function, text));
        if (printer != null) {
            toPrint.add("[" + function + "] " + text);
        }
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

    /** The lines written so far for one function. */
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
