package xrayasync.localcloud.core.lambda;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Where the local cloud writes what CloudWatch Logs would show: function output and platform lines, by function. */
public final class CloudLog {

    /** One line, with the function it belongs to. */
    public record Line(String function, String text) {
    }

    private final PrintStream out;
    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

    /** @param out where lines are printed as they come, or null to keep them only */
    public CloudLog(PrintStream out) {
        this.out = out;
    }

    public void write(String function, String text) {
        lines.add(new Line(function, text));
        if (out != null) {
            out.println("[" + function + "] " + text);
        }
    }

    /** The lines written so far for one function. */
    public List<String> lines(String function) {
        List<String> texts = new ArrayList<>();
        lines.stream().filter(line -> line.function().equals(function)).forEach(line -> texts.add(line.text()));
        return texts;
    }
}
