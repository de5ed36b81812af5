package xrayasync.otel.triggering;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** Whether the Invoke request carries the caller's X-Ray trace header to TriggeredFunction. */
public enum TracePropagation {
    /** The fix: Invoke continues the caller's trace. */
    ENABLED("Enabled"),
    /** The original report: the request leaves without a trace header, as the deprecated InvokeAsync API did. */
    DISABLED("Disabled");

    private final String label;

    TracePropagation(String label) {
        this.label = label;
    }

    /** The value as written in template.yaml and the function's environment. */
    public String label() {
        return label;
    }

    static TracePropagation parse(String variable, String value) {
        for (TracePropagation candidate : values()) {
            if (candidate.label.toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return candidate;
            }
        }
        throw new IllegalStateException(variable + " is '" + value + "', which is not one of "
                + Arrays.stream(values()).map(TracePropagation::label).collect(Collectors.joining(", "))
                + ". Set the TracePropagation parameter of the stack (or the variable) to one of them.");
    }
}
