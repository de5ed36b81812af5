package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.reflect.Method;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;
import xrayasync.localcloud.harness.ProjectRoot;

/** What template.yaml must keep declaring for the trace to survive the async hop, with least privilege. */
class TemplateInvariantsTest {

    private static final String TRIGGERING = "TriggeringFunction";
    private static final String TRIGGERED = "TriggeredFunction";
    private static final Map<String, Object> TRIGGERED_ALIAS = Map.of("Ref", "TriggeredFunction.Alias");
    private static final List<String> HOPS = List.of("LambdaEvent", "SQS", "SNS", "EventBridge");

    private static SamTemplate template;

    @BeforeAll
    static void load() throws IOException {
        template = SamTemplate.load(ProjectRoot.locate().resolve("template.yaml"));
    }

    @Test
    void declaresExactlyTheTwoFunctions() {
        assertEquals(List.of(TRIGGERING, TRIGGERED), template.functionIds());
    }

    @Test
    void bothFunctionsRunJava25WithExplicitSizeAndJsonLogs() {
        for (String function : template.functionIds()) {
            Map<String, Object> properties = template.functionProperties(function);
            assertEquals("java25", properties.get("Runtime"), function);
            assertTrue(properties.get("MemorySize") instanceof Integer, function + " MemorySize");
            assertTrue(properties.get("Timeout") instanceof Integer, function + " Timeout");
            assertEquals(1, ((List<?>) properties.get("Architectures")).size(), function + " Architectures");
            assertEquals(Map.of("LogFormat", "JSON"), properties.get("LoggingConfig"), function);
        }
    }

    /** The java25 runtime picks the JIT tiers itself: C1 on demand, the JVM's defaults under SnapStart. */
    @Test
    void noFunctionOverridesTheRuntimesJvmOptions() {
        for (String function : template.functionIds()) {
            assertFalse(variables(function).containsKey("JAVA_TOOL_OPTIONS"), function + " sets "
                    + variables(function).get("JAVA_TOOL_OPTIONS"));
        }
    }

    @Test
    void bothFunctionsStartFromASnapStartSnapshotThroughTheirAlias() {
        for (String function : template.functionIds()) {
            Map<String, Object> properties = template.functionProperties(function);
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), properties.get("SnapStart"), function);
            assertNotNull(properties.get("AutoPublishAlias"), function + " publishes versions for SnapStart");
        }
    }

    @Test
    void triggeringFunctionTracingIsActive() {
        assertEquals("Active", template.functionProperties(TRIGGERING).get("Tracing"));
    }

    @Test
    void triggeredFunctionTracingDefaultsToActiveAndCanReproduceTheReport() {
        assertEquals(Map.of("Ref", "TriggeredTracingMode"), template.functionProperties(TRIGGERED).get("Tracing"));
        Map<String, Object> mode = SamTemplate.map(template.parameters().get("TriggeredTracingMode"));
        assertEquals("Active", mode.get("Default"));
        assertEquals(List.of("Active", "PassThrough"), mode.get("AllowedValues"));
    }

    @Test
    void tracePropagationDefaultsToEnabledAndReachesTheFunction() {
        Map<String, Object> propagation = SamTemplate.map(template.parameters().get("TracePropagation"));
        assertEquals("Enabled", propagation.get("Default"));
        assertEquals(List.of("Enabled", "Disabled"), propagation.get("AllowedValues"));
        assertEquals(Map.of("Ref", "TracePropagation"), variables(TRIGGERING).get("TRACE_PROPAGATION"));
    }

    @Test
    void asyncHopDefaultsToTodaysLambdaEventInvoke() {
        Map<String, Object> hop = SamTemplate.map(template.parameters().get("AsyncHop"));
        assertEquals("LambdaEvent", hop.get("Default"));
        assertEquals(HOPS, hop.get("AllowedValues"));
        for (String chosen : HOPS) {
            assertEquals(chosen, stack(chosen).function(TRIGGERING).environment().get("ASYNC_HOP"));
        }
    }

    @Test
    void lambdaEventHopInvokesTheTriggeredAliasAndDeclaresNoQueue() {
        StackDefinition stack = stack("LambdaEvent");
        assertNotNull(template.functionProperties(TRIGGERED).get("AutoPublishAlias"));
        Map<String, String> environment = stack.function(TRIGGERING).environment();
        assertEquals(stack.function(TRIGGERED).arn().qualified("live").toString(),
                environment.get("TRIGGERED_FUNCTION_NAME"));
        assertFalse(environment.containsKey("TRIGGERED_QUEUE_URL"), environment.toString());
        assertFalse(stack.exists("TriggeredQueue"));
        assertFalse(stack.exists("TriggeredQueueMapping"));
        assertTrue(stack.function(TRIGGERED).handler().endsWith("::handleRequest"));
    }

    @Test
    void sqsHopSendsToTheQueueThatTheTriggeredAliasPolls() {
        StackDefinition stack = stack("SQS");
        Map<String, String> environment = stack.function(TRIGGERING).environment();
        assertEquals(stack.queueUrl("TriggeredQueue"), environment.get("TRIGGERED_QUEUE_URL"));
        assertFalse(environment.containsKey("TRIGGERED_FUNCTION_NAME"), environment.toString());
        Map<String, Object> mapping = stack.resolvedProperties("TriggeredQueueMapping");
        assertEquals(stack.queueArn("TriggeredQueue"), mapping.get("EventSourceArn"));
        assertEquals(stack.function(TRIGGERED).arn().qualified("live").toString(), mapping.get("FunctionName"));
        assertEquals(List.of("ReportBatchItemFailures"), mapping.get("FunctionResponseTypes"));
        assertTrue(stack.function(TRIGGERED).handler().endsWith("::handleQueueMessages"));
    }

    /**
     * The SNS hop publishes to a topic with active tracing that the alias subscribes to; only that topic may invoke
     * the alias, and X-Ray accepts SNS's segments for that topic only.
     */
    @Test
    void snsHopPublishesToAnActivelyTracedTopicThatAloneMayInvokeTheAlias() {
        StackDefinition stack = stack("SNS");
        String topic = stack.topicArn("TriggeredTopic");
        String alias = stack.function(TRIGGERED).arn().qualified("live").toString();
        assertEquals(topic, stack.function(TRIGGERING).environment().get("TRIGGERED_TOPIC_ARN"));
        assertEquals("Active", stack.resolvedProperties("TriggeredTopic").get("TracingConfig"));
        Map<String, Object> subscription = stack.resolvedProperties("TriggeredTopicSubscription");
        assertEquals(Map.of("TopicArn", topic, "Protocol", "lambda", "Endpoint", alias), subscription);
        Map<String, Object> permission = stack.resolvedProperties("TriggeredTopicPermission");
        assertEquals(Map.of("Action", "lambda:InvokeFunction", "FunctionName", alias, "Principal",
                "sns.amazonaws.com", "SourceArn", topic), permission);
        String policy = (String) stack.resolvedProperties("TriggeredTopicTracingPolicy").get("PolicyDocument");
        assertTrue(policy.contains("\"sns.amazonaws.com\"") && policy.contains("\"" + topic + "\"")
                && policy.contains("xray:PutTraceSegments"), policy);
        List<Map<String, Object>> publishes = granting(stack, TRIGGERING, "sns:");
        assertEquals(1, publishes.size(), "statements granting sns actions");
        assertEquals(List.of("sns:Publish"), actions(publishes.getFirst()));
        assertEquals(topic, publishes.getFirst().get("Resource"));
        assertTrue(stack.function(TRIGGERED).handler().endsWith("::handleNotification"));
        assertFalse(stack.exists("TriggeredQueue"));
    }

    /**
     * The EventBridge hop puts events on the stack's own bus, whose rule matches what TriggeringFunction sends and
     * targets the alias; only that rule may invoke it.
     */
    @Test
    void eventBridgeHopPutsOnItsBusWhoseRuleAloneMayInvokeTheAlias() {
        StackDefinition stack = stack("EventBridge");
        String alias = stack.function(TRIGGERED).arn().qualified("live").toString();
        assertEquals("xray-async-triggered", stack.function(TRIGGERING).environment().get("TRIGGERED_EVENT_BUS_NAME"));
        Map<String, Object> rule = stack.resolvedProperties("TriggeredEventRule");
        assertEquals("xray-async-triggered", rule.get("EventBusName"));
        assertEquals(Map.of("source", List.of("xray-async.triggering"), "detail-type", List.of("TriggerPayload")),
                rule.get("EventPattern"));
        assertEquals(List.of(Map.of("Id", TRIGGERED, "Arn", alias)), rule.get("Targets"));
        assertEquals(Map.of("Action", "lambda:InvokeFunction", "FunctionName", alias, "Principal",
                "events.amazonaws.com", "SourceArn", stack.ruleArn("TriggeredEventRule")),
                stack.resolvedProperties("TriggeredEventPermission"));
        List<Map<String, Object>> puts = granting(stack, TRIGGERING, "events:");
        assertEquals(1, puts.size(), "statements granting events actions");
        assertEquals("arn:aws:events:us-east-1:123456789012:event-bus/xray-async-triggered",
                puts.getFirst().get("Resource"));
        assertTrue(stack.function(TRIGGERED).handler().endsWith("::handleEvent"));
    }

    /**
     * Lambda developer guide, "Using Lambda with Amazon SQS": a visibility timeout of at least six times the
     * function's timeout, and a dead-letter queue for messages that keep failing.
     */
    @Test
    void sqsHopQueueOutlastsSixTimeoutsAndRedrivesToAnEncryptedDeadLetterQueue() {
        StackDefinition stack = stack("SQS");
        Map<String, Object> queue = stack.resolvedProperties("TriggeredQueue");
        int timeout = stack.function(TRIGGERED).timeoutSeconds();
        assertTrue((Integer) queue.get("VisibilityTimeout") >= 6 * timeout, queue.toString());
        assertEquals(Boolean.TRUE, queue.get("SqsManagedSseEnabled"));
        Map<String, Object> redrive = SamTemplate.map(queue.get("RedrivePolicy"));
        assertEquals(stack.queueArn("TriggeredDeadLetterQueue"), redrive.get("deadLetterTargetArn"));
        assertTrue((Integer) redrive.get("maxReceiveCount") >= 1, redrive.toString());
        assertEquals(Boolean.TRUE, stack.resolvedProperties("TriggeredDeadLetterQueue").get("SqsManagedSseEnabled"));
    }

    @Test
    void asyncInvokeConfigRetriesBoundsAgeAndKeepsFailures() {
        Map<String, Object> config = SamTemplate.map(template.functionProperties(TRIGGERED).get("EventInvokeConfig"));
        int retries = (Integer) config.get("MaximumRetryAttempts");
        int maximumAge = (Integer) config.get("MaximumEventAgeInSeconds");
        assertTrue(retries >= 0 && retries <= 2, "MaximumRetryAttempts " + retries);
        assertTrue(maximumAge >= 60 && maximumAge <= 21600, "MaximumEventAgeInSeconds " + maximumAge);
        Map<String, Object> onFailure = SamTemplate.map(
                SamTemplate.map(config.get("DestinationConfig")).get("OnFailure"));
        assertEquals("SQS", onFailure.get("Type"));
        assertEquals(Map.of("Fn::GetAtt", List.of("TriggeredFailureQueue", "Arn")), onFailure.get("Destination"));
    }

    @Test
    void failureQueueIsOwnedByTheStackAndEncrypted() {
        Map<String, Object> queue = SamTemplate.map(template.resources().get("TriggeredFailureQueue"));
        assertEquals("AWS::SQS::Queue", queue.get("Type"));
        assertEquals(Boolean.TRUE, template.properties("TriggeredFailureQueue").get("SqsManagedSseEnabled"));
    }

    @Test
    void triggeringFunctionMayInvokeOnlyTheTriggeredAlias() {
        StackDefinition stack = stack("LambdaEvent");
        List<Map<String, Object>> invokes = granting(stack, TRIGGERING, "lambda:");
        assertEquals(1, invokes.size(), "statements granting lambda actions");
        assertEquals(List.of("lambda:InvokeFunction"), actions(invokes.getFirst()));
        assertEquals(stack.function(TRIGGERED).arn().qualified("live").toString(), invokes.getFirst().get("Resource"));
        assertEquals(List.of(), granting(stack, TRIGGERING, "sqs:"));
    }

    @Test
    void sqsHopMaySendOnlyToItsQueueAndPollOnlyThatQueue() {
        StackDefinition stack = stack("SQS");
        List<Map<String, Object>> sends = granting(stack, TRIGGERING, "sqs:");
        assertEquals(1, sends.size(), "statements granting sqs actions");
        assertEquals(List.of("sqs:SendMessage"), actions(sends.getFirst()));
        assertEquals(stack.queueArn("TriggeredQueue"), sends.getFirst().get("Resource"));
        assertEquals(List.of(), granting(stack, TRIGGERING, "lambda:"));
        List<Map<String, Object>> polls = granting(stack, TRIGGERED, "sqs:");
        assertEquals(1, polls.size(), "statements granting sqs actions");
        assertEquals(stack.queueArn("TriggeredQueue"), polls.getFirst().get("Resource"));
    }

    @Test
    void bothFunctionsMayListBucketsAndNothingElseBeyondTheirHopsCalls() {
        Set<String> poll = Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility");
        Map<String, Map<String, Set<String>>> allowed = Map.of(
                "LambdaEvent", Map.of(TRIGGERING, Set.of("s3:ListAllMyBuckets", "lambda:InvokeFunction"),
                        TRIGGERED, Set.of("s3:ListAllMyBuckets")),
                "SQS", Map.of(TRIGGERING, Set.of("s3:ListAllMyBuckets", "sqs:SendMessage"),
                        TRIGGERED, union(Set.of("s3:ListAllMyBuckets"), poll)),
                "SNS", Map.of(TRIGGERING, Set.of("s3:ListAllMyBuckets", "sns:Publish"),
                        TRIGGERED, Set.of("s3:ListAllMyBuckets")),
                "EventBridge", Map.of(TRIGGERING, Set.of("s3:ListAllMyBuckets", "events:PutEvents"),
                        TRIGGERED, Set.of("s3:ListAllMyBuckets")));
        for (String hop : HOPS) {
            StackDefinition stack = stack(hop);
            for (String function : template.functionIds()) {
                List<String> granted = new ArrayList<>();
                for (Map<String, Object> statement : statements(stack, function)) {
                    assertEquals("Allow", statement.get("Effect"), function);
                    granted.addAll(actions(statement));
                }
                assertTrue(granted.contains("s3:ListAllMyBuckets"), function + " may list buckets");
                assertTrue(allowed.get(hop).get(function).containsAll(granted), hop + ": " + function + " grants "
                        + granted);
            }
        }
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> both = new HashSet<>(first);
        both.addAll(second);
        return both;
    }

    @Test
    void noFunctionUsesManagedPoliciesOrARoleOfItsOwn() {
        for (String function : template.functionIds()) {
            Map<String, Object> properties = template.functionProperties(function);
            assertFalse(properties.containsKey("Role"), function + " Role");
            for (Object policy : (List<?>) properties.get("Policies")) {
                assertTrue(policy instanceof Map<?, ?> map && map.keySet().equals(Set.of("Statement")),
                        function + " policy " + policy + " is an inline statement list");
            }
        }
    }

    @Test
    void templateHoldsNoSecrets() throws IOException {
        String text = Files.readString(ProjectRoot.locate().resolve("template.yaml"));
        assertFalse(Pattern.compile("(AKIA|ASIA)[0-9A-Z]{16}").matcher(text).find(), "an AWS access key id");
        for (String function : template.functionIds()) {
            for (String variable : variables(function).keySet()) {
                assertFalse(variable.matches("(?i).*(SECRET|PASSWORD|TOKEN|ACCESS_KEY|PRIVATE).*"),
                        function + " declares " + variable + "; secrets belong in Secrets Manager or SSM");
            }
        }
    }

    @Test
    void lambdaEventHandlersAreTheBuiltStreamHandlers() throws ReflectiveOperationException {
        StackDefinition stack = stack("LambdaEvent");
        for (String function : template.functionIds()) {
            String handler = stack.function(function).handler();
            assertTrue(handler.endsWith("::handleRequest"), handler);
            Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
            assertTrue(RequestStreamHandler.class.isAssignableFrom(type), handler);
            assertNotNull(type.getConstructor(), handler + " has Lambda's public no-argument constructor");
            assertEquals(function, template.functionProperties(function).get("CodeUri"));
        }
    }

    /** The SQS hop's handler takes aws-lambda-java-events' SQSEvent and answers partial batch failures. */
    @Test
    void sqsHopHandlerTakesAnSqsEventAndAnswersBatchItemFailures() throws ReflectiveOperationException {
        String handler = stack("SQS").function(TRIGGERED).handler();
        Class<?> type = Class.forName(handler.substring(0, handler.indexOf("::")));
        Method method = type.getMethod(handler.substring(handler.indexOf("::") + 2), SQSEvent.class, Context.class);
        assertEquals(SQSBatchResponse.class, method.getReturnType());
    }

    @Test
    void outputsNameWhatDeployersNeed() {
        assertTrue(template.outputs().keySet().containsAll(Set.of("TriggeringFunctionName", "TriggeringFunctionArn",
                "TriggeringFunctionAliasArn",
                "TriggeredFunctionName", "TriggeredFunctionArn", "TriggeredFunctionAliasArn",
                "TriggeredFailureQueueUrl", "XRayTracesConsoleUrl")), template.outputs().keySet().toString());
        assertEquals(TRIGGERED_ALIAS,
                SamTemplate.map(template.outputs().get("TriggeredFunctionAliasArn")).get("Value"));
    }

    /** A function's environment variables, Globals merged; none when it declares no Environment. */
    private static Map<String, Object> variables(String function) {
        Object environment = template.functionProperties(function).get("Environment");
        return environment == null ? Map.of() : SamTemplate.map(SamTemplate.map(environment).get("Variables"));
    }

    /** The template deployed with the hop chosen, as CloudFormation resolves it (conditions, Fn::If, NoValue). */
    private static StackDefinition stack(String hop) {
        return StackDefinition.resolve(template, ProjectRoot.locate(), "xray-async", "us-east-1", "123456789012",
                Map.of("AsyncHop", hop));
    }

    private static List<Map<String, Object>> granting(StackDefinition stack, String function, String prefix) {
        return statements(stack, function).stream()
                .filter(statement -> actions(statement).stream().anyMatch(action -> action.startsWith(prefix)))
                .toList();
    }

    private static List<Map<String, Object>> statements(StackDefinition stack, String function) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : (List<?>) stack.resolvedFunctionProperties(function).get("Policies")) {
            for (Object statement : (List<?>) SamTemplate.map(policy).get("Statement")) {
                statements.add(SamTemplate.map(statement));
            }
        }
        return statements;
    }

    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of((String) action);
    }
}
