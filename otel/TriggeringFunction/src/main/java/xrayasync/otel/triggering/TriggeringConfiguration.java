package xrayasync.otel.triggering;

import java.util.Map;
import software.amazon.awssdk.regions.Region;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/**
 * TriggeringFunction's settings, read once from its environment at init.
 *
 * @param destination the chosen hop's destination: function name or ARN, queue URL, topic ARN or event bus name
 */
record TriggeringConfiguration(Region region, AsyncHop asyncHop, String destination,
        TracePropagation tracePropagation) {

    static final String REGION = "AWS_REGION";
    static final String ASYNC_HOP = "ASYNC_HOP";
    static final String TRACE_PROPAGATION = "TRACE_PROPAGATION";

    static TriggeringConfiguration fromEnvironment(Map<String, String> environment) {
        String hopValue = environment.get(ASYNC_HOP);
        AsyncHop hop = hopValue == null || hopValue.isBlank()
                ? AsyncHop.LAMBDA_EVENT
                : AsyncHop.parse(ASYNC_HOP, hopValue);
        String propagation = environment.get(TRACE_PROPAGATION);
        return new TriggeringConfiguration(
                Region.of(required(environment, REGION,
                        "Lambda sets it; when running elsewhere, export the region the stack is deployed in")),
                hop,
                // Only the chosen hop's destination is read: the template sets the others' resources aside.
                required(environment, hop.destinationVariable(),
                        "template.yaml sets it when AsyncHop is " + hop.label() + "; for sam local invoke, put the"
                                + " stack's " + hop.stackOutput() + " output in events/env.json"),
                propagation == null || propagation.isBlank()
                        ? TracePropagation.ENABLED
                        : TracePropagation.parse(TRACE_PROPAGATION, propagation));
    }

    private static String required(Map<String, String> environment, String variable, String remedy) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + variable + " is missing or empty: " + remedy + ".");
        }
        return value.trim();
    }
}
