package xrayasync.otel.triggered;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

// Governed copy: identical across function folders, package line aside (stack-checks GovernedCopiesTest).
/** An X-Ray trace header such as the one Lambda hands each invocation, read without any tracing SDK. */
record LambdaTraceHeader(String text, Map<String, String> fields) {

    /** Where the Java runtime puts the invocation's trace header. */
    static final String PROPERTY = "com.amazonaws.xray.traceHeader";
    /** Where Lambda puts it for runtimes that read the environment. */
    static final String VARIABLE = "_X_AMZN_TRACE_ID";
    private static final Pattern TRACE_ID = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");

    /**
     * The header of the running invocation, empty when there is none. The property comes first, then the variable:
     * the order of OpenTelemetry's AwsXrayLambdaPropagator, so both flavors read the header it continues.
     */
    static LambdaTraceHeader current() {
        String header = System.getProperty(PROPERTY);
        return parse(header == null || header.isBlank() ? System.getenv(VARIABLE) : header);
    }

    /** Splits a header into its fields; a malformed field is skipped, the first of repeated keys wins. */
    static LambdaTraceHeader parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (text != null) {
            for (String field : text.split(";")) {
                int equals = field.indexOf('=');
                if (equals > 0) {
                    fields.putIfAbsent(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
                }
            }
        }
        return new LambdaTraceHeader(text, Collections.unmodifiableMap(fields));
    }

    /** The trace id (the Root field) in lower case, or null when the header has no well-formed one. */
    String traceId() {
        String root = fields.get("Root");
        if (root == null) {
            return null;
        }
        String lowerCase = root.toLowerCase(Locale.ROOT);
        return TRACE_ID.matcher(lowerCase).matches() ? lowerCase : null;
    }

    /** The value of the named field, or null when the header lacks it. */
    String field(String name) {
        return fields.get(name);
    }
}
