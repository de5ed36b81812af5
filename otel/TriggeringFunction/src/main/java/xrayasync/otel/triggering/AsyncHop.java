package xrayasync.otel.triggering;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** How TriggeringFunction hands its event to TriggeredFunction: the template's AsyncHop parameter. */
public enum AsyncHop {
    /** Lambda's asynchronous Invoke (InvocationType=Event): the original report's hop, and the default. */
    LAMBDA_EVENT("LambdaEvent", "TRIGGERED_FUNCTION_NAME", "TriggeredFunctionAliasArn", true),
    /** SQS SendMessage; Lambda's event source mapping delivers the message. */
    SQS("SQS", "TRIGGERED_QUEUE_URL", "TriggeredQueueUrl", true),
    /** SNS Publish; the topic's Lambda subscription delivers the notification. */
    SNS("SNS", "TRIGGERED_TOPIC_ARN", "TriggeredTopicArn", true),
    /** EventBridge PutEvents; a rule on the bus targets TriggeredFunction. */
    EVENT_BRIDGE("EventBridge", "TRIGGERED_EVENT_BUS_NAME", "TriggeredEventBusName", false);

    private final String label;
    private final String destinationVariable;
    private final String stackOutput;
    private final boolean countsRecursion;

    AsyncHop(String label, String destinationVariable, String stackOutput, boolean countsRecursion) {
        this.label = label;
        this.destinationVariable = destinationVariable;
        this.stackOutput = stackOutput;
        this.countsRecursion = countsRecursion;
    }

    /** The value as written in template.yaml's AsyncHop parameter and the function's ASYNC_HOP variable. */
    public String label() {
        return label;
    }

    /** The environment variable that names this hop's destination; only the chosen hop's one is required. */
    String destinationVariable() {
        return destinationVariable;
    }

    /** The stack output that holds the value destinationVariable() needs. */
    String stackOutput() {
        return stackOutput;
    }

    /**
     * The interceptors that shape the trace header on this hop's client, registered after the tracing interceptor.
     * Disabled propagation strips the header on every hop. Otherwise the caller's Lineage is kept only where Lambda's
     * recursive loop detection reads it: Lambda, SQS and SNS are the services it supports (Lambda guide, "Use Lambda
     * recursive loop detection to prevent infinite loops", Supported AWS services); EventBridge is not among them.
     */
    List<ExecutionInterceptor> traceHeaderInterceptors(TracePropagation propagation) {
        if (propagation == TracePropagation.DISABLED) {
            return List.of(new TraceHeaderRemover());
        }
        return countsRecursion ? List.of(new LineagePropagation()) : List.of();
    }

    static AsyncHop parse(String variable, String value) {
        for (AsyncHop candidate : values()) {
            if (candidate.label.toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return candidate;
            }
        }
        throw new IllegalStateException(variable + " is '" + value + "', which is not one of "
                + Arrays.stream(values()).map(AsyncHop::label).collect(Collectors.joining(", "))
                + ". Set the AsyncHop parameter of the stack (or the variable) to one of them.");
    }
}
