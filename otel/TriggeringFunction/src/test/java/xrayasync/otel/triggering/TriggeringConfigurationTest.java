package xrayasync.otel.triggering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

// Governed copy: identical in this function's folder of every flavor, package line aside (stack-checks GovernedCopiesTest).
/** How TriggeringFunction reads its environment at init. */
class TriggeringConfigurationTest {

    private static Map<String, String> environment(String... pairs) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "AWS_REGION", "eu-west-1",
                "TRIGGERED_FUNCTION_NAME", "arn:aws:lambda:eu-west-1:123456789012:function:triggered:live"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                environment.remove(pairs[i]);
            } else {
                environment.put(pairs[i], pairs[i + 1]);
            }
        }
        return environment;
    }

    @Test
    void readsRegionTargetAndPropagation() {
        TriggeringConfiguration configuration = TriggeringConfiguration.fromEnvironment(
                environment("TRACE_PROPAGATION", "Disabled"));

        assertEquals(Region.EU_WEST_1, configuration.region());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:triggered:live",
                configuration.destination());
        assertEquals(TracePropagation.DISABLED, configuration.tracePropagation());
    }

    @Test
    void hopIsLambdaEventUnlessConfiguredOtherwise() {
        TriggeringConfiguration configuration = TriggeringConfiguration.fromEnvironment(environment());

        assertEquals(AsyncHop.LAMBDA_EVENT, configuration.asyncHop());
        assertEquals("arn:aws:lambda:eu-west-1:123456789012:function:triggered:live", configuration.destination());
        assertEquals(AsyncHop.LAMBDA_EVENT, TriggeringConfiguration.fromEnvironment(environment("ASYNC_HOP", " "))
                .asyncHop());
    }

    @Test
    void eachHopReadsItsOwnDestinationOnly() {
        String queueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/triggered";
        TriggeringConfiguration sqs = TriggeringConfiguration.fromEnvironment(environment("ASYNC_HOP", "sqs",
                "TRIGGERED_FUNCTION_NAME", null, "TRIGGERED_QUEUE_URL", queueUrl));
        TriggeringConfiguration sns = TriggeringConfiguration.fromEnvironment(environment("ASYNC_HOP", "SNS",
                "TRIGGERED_TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:triggered"));
        TriggeringConfiguration bus = TriggeringConfiguration.fromEnvironment(environment("ASYNC_HOP", "eventbridge",
                "TRIGGERED_EVENT_BUS_NAME", "triggered-bus"));

        assertEquals(AsyncHop.SQS, sqs.asyncHop());
        assertEquals(queueUrl, sqs.destination());
        assertEquals("arn:aws:sns:eu-west-1:123456789012:triggered", sns.destination());
        assertEquals(AsyncHop.EVENT_BRIDGE, bus.asyncHop());
        assertEquals("triggered-bus", bus.destination());
    }

    @Test
    void missingHopDestinationNamesTheVariableAndTheStackOutput() {
        for (String[] hop : new String[][] {{"SQS", "TRIGGERED_QUEUE_URL", "TriggeredQueueUrl"},
                {"SNS", "TRIGGERED_TOPIC_ARN", "TriggeredTopicArn"},
                {"EventBridge", "TRIGGERED_EVENT_BUS_NAME", "TriggeredEventBusName"}}) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> TriggeringConfiguration.fromEnvironment(environment("ASYNC_HOP", hop[0])));

            assertTrue(failure.getMessage().startsWith("Environment variable " + hop[1] + " is missing or empty"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("stack's " + hop[2] + " output"), failure.getMessage());
        }
    }

    @Test
    void unknownHopFailsListingTheValuesAndNamingTheParameter() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> TriggeringConfiguration.fromEnvironment(environment("ASYNC_HOP", "Kinesis")));

        assertEquals("ASYNC_HOP is 'Kinesis', which is not one of LambdaEvent, SQS, SNS, EventBridge. Set the"
                + " AsyncHop parameter of the stack (or the variable) to one of them.", failure.getMessage());
    }

    @Test
    void propagationIsEnabledUnlessConfiguredOtherwise() {
        assertEquals(TracePropagation.ENABLED, TriggeringConfiguration.fromEnvironment(environment())
                .tracePropagation());
        assertEquals(TracePropagation.ENABLED, TriggeringConfiguration.fromEnvironment(
                environment("TRACE_PROPAGATION", "")).tracePropagation());
    }

    @Test
    void propagationValueIgnoresCase() {
        assertEquals(TracePropagation.DISABLED, TriggeringConfiguration.fromEnvironment(
                environment("TRACE_PROPAGATION", "disabled")).tracePropagation());
    }

    @Test
    void unknownPropagationValueFailsListingTheAllowedOnes() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> TriggeringConfiguration.fromEnvironment(environment("TRACE_PROPAGATION", "off")));

        assertTrue(failure.getMessage().startsWith(
                "TRACE_PROPAGATION is 'off', which is not one of Enabled, Disabled."), failure.getMessage());
    }

    @Test
    void missingTargetFailsNamingTheVariable() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> TriggeringConfiguration.fromEnvironment(environment("TRIGGERED_FUNCTION_NAME", null)));

        assertTrue(failure.getMessage().startsWith(
                "Environment variable TRIGGERED_FUNCTION_NAME is missing or empty"), failure.getMessage());
    }

    @Test
    void emptyTargetFailsNamingTheVariable() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> TriggeringConfiguration.fromEnvironment(environment("TRIGGERED_FUNCTION_NAME", " ")));

        assertTrue(failure.getMessage().contains("TRIGGERED_FUNCTION_NAME"), failure.getMessage());
    }

    @Test
    void missingRegionFailsNamingTheVariable() {
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> TriggeringConfiguration.fromEnvironment(environment("AWS_REGION", null)));

        assertTrue(failure.getMessage().startsWith("Environment variable AWS_REGION is missing or empty"),
                failure.getMessage());
    }

    @Test
    void lambdaInitFailsWhenTheTargetIsNotConfigured() {
        // The test JVM has the environment Lambda sets, but no TRIGGERED_FUNCTION_NAME.
        IllegalStateException failure = assertThrows(IllegalStateException.class, TriggeringHandler::new);

        assertTrue(failure.getMessage().contains("TRIGGERED_FUNCTION_NAME"), failure.getMessage());
    }
}
