package xrayasync.localcloud.harness.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda's REPORT line, read back the way log tools read it from CloudWatch.
 *
 * @param initDurationMillis null on a warm invocation
 */
public record ReportLine(String requestId, double durationMillis, long maxMemoryUsedMb, Double initDurationMillis) {

    private static final Pattern REPORT = Pattern.compile("REPORT RequestId: (\\S+)\\tDuration: ([0-9.]+) ms\\t"
            + "Billed Duration: \\d+ ms\\tMemory Size: \\d+ MB\\tMax Memory Used: (\\d+) MB(?:\\tInit Duration: ([0-9.]+) ms)?");

    /** The REPORT line of one request among a function's log lines. */
    public static ReportLine find(List<String> lines, String requestId) {
        for (String line : lines) {
            Matcher report = REPORT.matcher(line);
            if (report.matches() && report.group(1).equals(requestId)) {
                return new ReportLine(requestId, Double.parseDouble(report.group(2)), Long.parseLong(report.group(3)),
                        report.group(4) == null ? null : Double.parseDouble(report.group(4)));
            }
        }
        throw new IllegalStateException("No REPORT line for request " + requestId);
    }
}
