package xrayasync.localcloud.harness.check;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways TriggeringFunction hands its event to TriggeredFunction (the templates' AsyncHop parameter), each with
 * what X-Ray shows today for a correctly instrumented pair (docs/async-hops.md).
 */
public enum AsyncHop {
    LAMBDA_EVENT("LambdaEvent", "lambda", TraceCheck.Verdict.JOINED),
    SQS("SQS", "sqs", TraceCheck.Verdict.LINKED),
    SNS("SNS", "sns", TraceCheck.Verdict.JOINED),
    EVENT_BRIDGE("EventBridge", "eventbridge", TraceCheck.Verdict.JOINED);

    private final String parameterValue;
    private final String option;
    private final TraceCheck.Verdict expected;

    AsyncHop(String parameterValue, String option, TraceCheck.Verdict expected) {
        this.parameterValue = parameterValue;
        this.option = option;
        this.expected = expected;
    }

    /** The AsyncHop parameter's value, and TriggeringFunction's ASYNC_HOP. */
    public String parameterValue() {
        return parameterValue;
    }

    /** The verdict AWS gives this hop when both functions are instrumented and Active. */
    public TraceCheck.Verdict expected() {
        return expected;
    }

    /** The hop a --hop value names (lambda, sqs), or a sentence listing them. */
    public static AsyncHop ofOption(String value) {
        return Arrays.stream(values()).filter(hop -> hop.option.equalsIgnoreCase(value.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--hop " + value + " is not a hop: use one of "
                        + Arrays.stream(values()).map(hop -> hop.option).collect(Collectors.joining(", "))
                        + ", e.g. --hop sqs."));
    }

    /** The hop an ASYNC_HOP value names; none (a stack from before the parameter) is the Lambda Event hop. */
    public static AsyncHop ofParameter(String value) {
        if (value == null || value.isBlank()) {
            return LAMBDA_EVENT;
        }
        return Arrays.stream(values())
                .filter(hop -> hop.parameterValue.toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("ASYNC_HOP is '" + value + "', which this"
                        + " check does not know: it knows " + Arrays.stream(values()).map(AsyncHop::parameterValue)
                        .collect(Collectors.joining(", ")) + "."));
    }
}
