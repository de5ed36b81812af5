package xrayasync.localcloud.core.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * Lambda's own records about an invocation (its system logs), as the function's log format writes them: the
 * {@code START}, {@code END}, {@code REPORT} and {@code XRAY} lines under Text; under JSON the records of the Telemetry
 * API schema, {@code platform.start} and {@code platform.report} with its metrics, its status and, when traced, the
 * trace (Lambda developer guide, "Configuring JSON and plain text log formats"; "Lambda Telemetry API Event schema
 * reference"). JSON has no record for the end of an invocation, which its report marks.
 */
sealed interface PlatformRecord {

    ObjectMapper JSON = new ObjectMapper();

    /** The record's lines under the Text log format. */
    List<String> text();

    /** The record's messages under the JSON log format, stamped with the time given. */
    List<String> json(Instant time);

    /** An invocation begins. */
    record Start(String requestId, String version) implements PlatformRecord {
        @Override
        public List<String> text() {
            return List.of("START RequestId: " + requestId + " Version: " + version);
        }

        @Override
        public List<String> json(Instant time) {
            ObjectNode envelope = envelope(time, "platform.start");
            envelope.putObject("record").put("requestId", requestId).put("version", version);
            return List.of(serialized(envelope));
        }
    }

    /** An invocation ends. */
    record End(String requestId) implements PlatformRecord {
        @Override
        public List<String> text() {
            return List.of("END RequestId: " + requestId);
        }

        @Override
        public List<String> json(Instant time) {
            return List.of();
        }
    }

    /** A timeout, which Text writes as a line of its own and JSON as the report's status. */
    record Timeout(String requestId, int timeoutSeconds) implements PlatformRecord {
        @Override
        public List<String> text() {
            return List.of(Instant.now() + " " + requestId + " Task timed out after "
                    + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds");
        }

        @Override
        public List<String> json(Instant time) {
            return List.of();
        }
    }

    /**
     * What an invocation cost and how it ended.
     *
     * @param initDurationMillis the init before it, on a cold start only (else null)
     * @param status success, error (a function error), timeout or failure (the runtime or its init failed)
     * @param trace the function's trace header when the invocation was sampled, else null
     */
    record Report(String requestId, double durationMillis, long billedMillis, int memorySizeMb, long maxMemoryUsedMb,
            Double initDurationMillis, String status, TraceHeader trace) implements PlatformRecord {

        @Override
        public List<String> text() {
            List<String> lines = new ArrayList<>();
            lines.add(String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                    + "Memory Size: %d MB\tMax Memory Used: %d MB%s", requestId, durationMillis, billedMillis,
                    memorySizeMb, maxMemoryUsedMb, initDurationMillis == null ? ""
                            : String.format(Locale.ROOT, "\tInit Duration: %.2f ms", initDurationMillis)));
            if (trace != null) {
                lines.add("XRAY TraceId: " + trace.root() + "\tSegmentId: " + trace.parent() + "\tSampled: true");
            }
            return lines;
        }

        @Override
        public List<String> json(Instant time) {
            ObjectNode envelope = envelope(time, "platform.report");
            ObjectNode record = envelope.putObject("record").put("requestId", requestId);
            ObjectNode metrics = record.putObject("metrics");
            metrics.put("durationMs", round(durationMillis)).put("billedDurationMs", billedMillis)
                    .put("memorySizeMB", memorySizeMb).put("maxMemoryUsedMB", maxMemoryUsedMb);
            if (initDurationMillis != null) {
                metrics.put("initDurationMs", round(initDurationMillis));
            }
            if (trace != null) {
                record.putObject("tracing").put("spanId", trace.parent()).put("type", "X-Amzn-Trace-Id")
                        .put("value", trace.toString());
            }
            record.put("status", status);
            return List.of(serialized(envelope));
        }

        private static double round(double millis) {
            return Math.round(millis * 100) / 100.0;
        }
    }

    /** A record's {@code {"time", "type", "record"}} envelope, the record to be added; the time in milliseconds. */
    private static ObjectNode envelope(Instant time, String type) {
        return JSON.createObjectNode().put("time", time.truncatedTo(ChronoUnit.MILLIS).toString()).put("type", type);
    }

    private static String serialized(ObjectNode envelope) {
        try {
            return JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
