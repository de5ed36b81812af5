package xrayasync.otel.triggering;

import java.util.Map;
import software.amazon.awssdk.regions.Region;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** TriggeringFunction's settings, read once from its environment at init. */
record TriggeringConfiguration(Region region, String triggeredFunctionName, TracePropagation tracePropagation) {

    static final String REGION = "AWS_REGION";
    static final String TRIGGERED_FUNCTION_NAME = "TRIGGERED_FUNCTION_NAME";
    static final String TRACE_PROPAGATION = "TRACE_PROPAGATION";

    static TriggeringConfiguration fromEnvironment(Map<String, String> environment) {
        String propagation = environment.get(TRACE_PROPAGATION);
        return new TriggeringConfiguration(
                Region.of(required(environment, REGION,
                        "Lambda sets it; when running elsewhere, export the region the stack is deployed in")),
                required(environment, TRIGGERED_FUNCTION_NAME,
                        "template.yaml sets it to TriggeredFunction's alias; for sam local invoke, put the stack's"
                                + " TriggeredFunctionAliasArn output in events/env.json"),
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
