package xrayasync.localcloud.core.xray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The X-Ray trace header ({@code X-Amzn-Trace-Id}, Lambda's {@code Lambda-Runtime-Trace-Id}):
 * {@code Root=…;Parent=…;Sampled=…} and any further fields (Lineage, Self), kept in their order.
 *
 * @param root the trace id, or null when the header has none
 * @param parent the caller's segment or subsegment id, or null
 * @param sampling the caller's sampling decision, or null when it made none
 * @param otherFields every other field, as received
 */
public record TraceHeader(String root, String parent, Sampling sampling, Map<String, String> otherFields) {

    /** The HTTP header AWS services read the trace from. */
    public static final String HTTP_HEADER = "X-Amzn-Trace-Id";

    /** The values of {@code Sampled}. */
    public enum Sampling {
        SAMPLED("1"), NOT_SAMPLED("0"), REQUESTED("?");

        private final String value;

        Sampling(String value) {
            this.value = value;
        }

        static Sampling of(String value) {
            for (Sampling sampling : values()) {
                if (sampling.value.equals(value)) {
                    return sampling;
                }
            }
            return null;
        }
    }

    public TraceHeader {
        otherFields = Collections.unmodifiableMap(new LinkedHashMap<>(otherFields));
    }

    /** What a client sends to start a trace it wants sampled: {@code Root=<new trace id>;Sampled=1}. */
    public static TraceHeader newSampledTrace(XRayIds ids) {
        return new TraceHeader(ids.newTraceId(), null, Sampling.SAMPLED, Map.of());
    }

    /** Reads a header; null or blank gives a header with no field. */
    public static TraceHeader parse(String header) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (header != null) {
            for (String field : header.split(";")) {
                int equals = field.indexOf('=');
                if (equals > 0) {
                    fields.put(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
                }
            }
        }
        String root = fields.remove("Root");
        String parent = fields.remove("Parent");
        Sampling sampling = Sampling.of(fields.remove("Sampled"));
        return new TraceHeader(root, parent, sampling, fields);
    }

    /** The same header with one of its other fields set, in its place if it was there, else last. */
    public TraceHeader with(String field, String value) {
        Map<String, String> fields = new LinkedHashMap<>(otherFields);
        fields.put(field, value);
        return new TraceHeader(root, parent, sampling, fields);
    }

    /** The same header without one of its other fields. */
    public TraceHeader without(String field) {
        Map<String, String> remaining = new LinkedHashMap<>(otherFields);
        remaining.remove(field);
        return new TraceHeader(root, parent, sampling, remaining);
    }

    @Override
    public String toString() {
        StringJoiner header = new StringJoiner(";");
        if (root != null) {
            header.add("Root=" + root);
        }
        if (parent != null) {
            header.add("Parent=" + parent);
        }
        if (sampling != null) {
            header.add("Sampled=" + sampling.value);
        }
        otherFields.forEach((key, value) -> header.add(key + "=" + value));
        return header.toString();
    }
}
