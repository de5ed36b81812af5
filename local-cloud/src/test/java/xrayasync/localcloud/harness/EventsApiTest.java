package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeRuleResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBus;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.lambda.TaskRoot;

/**
 * EventBridge as the AWS SDK's own EventBridgeClient sees it on the local cloud's edge (AWS JSON 1.1): buses and
 * rules and their errors, and PutEvents delivering to the stack's TriggeredFunction alias, whose invocation carries
 * the entry's TraceHeader over the request's X-Amzn-Trace-Id, or no header when PutEvents had none ("Amazon
 * EventBridge integration with AWS X-Ray").
 */
class EventsApiTest {

    private static final String PAYLOAD_FILE = "events/triggered-event.json";

    private static Path work;
    private static LocalCloudFixture fixture;
    private static EventBridgeClient events;

    /** The stack with TriggeredFunction's EventBridge handler, as AsyncHop=EventBridge chooses it. */
    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("events-api");
        fixture = new LocalCloudFixture(work.resolve("cloud"), Map.of("AsyncHop", "EventBridge"));
        events = client(null);
    }

    /** A client of the edge; with a trace header, every request it sends carries it as X-Amzn-Trace-Id. */
    private static EventBridgeClient client(String traceHeader) {
        return EventBridgeClient.builder().endpointOverride(fixture.cloud.endpoint())
                .region(Region.of(LocalCloud.Settings.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalCloud.ACCESS_KEY, LocalCloud.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
                .overrideConfiguration(override -> {
                    override.apiCallTimeout(Duration.ofSeconds(60));
                    if (traceHeader != null) {
                        override.putHeader("X-Amzn-Trace-Id", traceHeader);
                    }
                }).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (events != null) {
            events.close();
        }
        if (fixture != null) {
            fixture.close();
        }
        TaskRoot.deleteRecursively(work);
    }

    /** What the Lambda developer guide asks of an EventBridge target: a permission for the rule to invoke it. */
    private static void permitEventsFrom(String ruleArn) {
        fixture.clients.lambda().addPermission(request -> request.functionName(triggeredAlias())
                .statementId(ruleArn.substring(ruleArn.lastIndexOf('/') + 1)).action("lambda:InvokeFunction")
                .principal("events.amazonaws.com").sourceArn(ruleArn));
    }

    /** Without that permission EventBridge does not invoke the target, and the cloud's log says why. */
    @Test
    void aTargetThatDoesNotPermitTheRuleIsNotInvoked() throws Exception {
        events.putRule(request -> request.name("unpermitted").eventPattern("{\"source\": [\"unpermitted.sender\"]}"));
        events.putTargets(request -> request.rule("unpermitted")
                .targets(Target.builder().id("triggered").arn(triggeredAlias()).build()));
        int ranBefore = triggeredRuns();
        String payload = payload();

        assertEquals(0, events.putEvents(request -> request.entries(entry("unpermitted.sender", payload, null,
                null))).failedEntryCount());

        Thread.sleep(1500);
        assertEquals(ranBefore, triggeredRuns(), "the target did not run");
    }

    private static String triggeredAlias() {
        return fixture.cloud.stack().functionArn("TriggeredFunction").qualified("live").toString();
    }

    @Test
    void aCustomBusIsCreatedListedDescribedAndDeletedAndTheDefaultBusAlwaysExists() {
        String arn = events.createEventBus(request -> request.name("orders").description("order events"))
                .eventBusArn();

        assertEquals("arn:aws:events:us-east-1:123456789012:event-bus/orders", arn);
        assertEquals("order events", events.describeEventBus(request -> request.name("orders")).description());
        assertEquals(arn, events.describeEventBus(request -> request.name(arn)).arn(), "a bus is named by its ARN too");
        List<String> names = events.listEventBuses(request -> request.namePrefix("")).eventBuses().stream()
                .map(EventBus::name).toList();
        assertTrue(names.containsAll(List.of("default", "orders")), names.toString());
        assertEquals("default", events.describeEventBus(request -> { }).name());
        assertThrows(ResourceAlreadyExistsException.class, () -> events.createEventBus(request -> request
                .name("orders")));

        events.deleteEventBus(request -> request.name("orders"));

        ResourceNotFoundException gone = assertThrows(ResourceNotFoundException.class,
                () -> events.describeEventBus(request -> request.name("orders")));
        assertTrue(gone.getMessage().contains("Event bus orders does not exist"), gone.getMessage());
        AwsServiceException defaultKept = assertThrows(AwsServiceException.class,
                () -> events.deleteEventBus(request -> request.name("default")));
        assertEquals("ValidationException", defaultKept.awsErrorDetails().errorCode());
    }

    @Test
    void aRuleIsPutDescribedDisabledEnabledGivenTargetsAndDeletedOnceItHasNone() {
        events.createEventBus(request -> request.name("lifecycle"));
        String pattern = "{\"source\": [\"my.app\"]}";
        String arn = events.putRule(request -> request.name("r1").eventBusName("lifecycle").eventPattern(pattern))
                .ruleArn();

        assertEquals("arn:aws:events:us-east-1:123456789012:rule/lifecycle/r1", arn);
        DescribeRuleResponse described = events.describeRule(request -> request.name("r1")
                .eventBusName("lifecycle"));
        assertEquals(pattern, described.eventPattern());
        assertEquals(RuleState.ENABLED, described.state());
        assertEquals("lifecycle", described.eventBusName());
        events.disableRule(request -> request.name("r1").eventBusName("lifecycle"));
        assertEquals(RuleState.DISABLED, events.listRules(request -> request.eventBusName("lifecycle")).rules()
                .getFirst().state());
        events.enableRule(request -> request.name("r1").eventBusName("lifecycle"));
        assertEquals(RuleState.ENABLED, events.describeRule(request -> request.name("r1")
                .eventBusName("lifecycle")).state());
        events.putRule(request -> request.name("r1").eventBusName("lifecycle").eventPattern(pattern)
                .state(RuleState.DISABLED).description("off for now"));
        events.putRule(request -> request.name("r1").eventBusName("lifecycle").eventPattern(pattern));
        DescribeRuleResponse replaced = events.describeRule(request -> request.name("r1")
                .eventBusName("lifecycle"));
        assertEquals(RuleState.ENABLED, replaced.state(), "PutRule replaces what it omits with the defaults");
        assertNull(replaced.description());

        events.putTargets(request -> request.rule("r1").eventBusName("lifecycle")
                .targets(Target.builder().id("t1").arn(triggeredAlias()).build()));
        assertEquals(List.of(triggeredAlias()), events.listTargetsByRule(request -> request.rule("r1")
                .eventBusName("lifecycle")).targets().stream().map(Target::arn).toList());
        AwsServiceException hasTargets = assertThrows(AwsServiceException.class,
                () -> events.deleteRule(request -> request.name("r1").eventBusName("lifecycle")));
        assertEquals("ValidationException", hasTargets.awsErrorDetails().errorCode());
        events.removeTargets(request -> request.rule("r1").eventBusName("lifecycle").ids("t1"));
        events.deleteRule(request -> request.name("r1").eventBusName("lifecycle"));

        assertThrows(ResourceNotFoundException.class, () -> events.describeRule(request -> request.name("r1")
                .eventBusName("lifecycle")));
        assertTrue(events.listRules(request -> request.eventBusName("lifecycle")).rules().isEmpty());
    }

    @Test
    void badPatternsTargetsOtherThanLambdaAndMissingRulesAreRefusedWithASentence() {
        InvalidEventPatternException pattern = assertThrows(InvalidEventPatternException.class,
                () -> events.putRule(request -> request.name("bad").eventPattern("{\"source\": \"my.app\"}")));
        assertTrue(pattern.getMessage().contains("as in [\"my.app\"]"), pattern.getMessage());

        events.putRule(request -> request.name("queue-target").eventPattern("{\"source\": [\"my.app\"]}"));
        AwsServiceException queue = assertThrows(AwsServiceException.class, () -> events.putTargets(request ->
                request.rule("queue-target").targets(Target.builder().id("q")
                        .arn("arn:aws:sqs:us-east-1:123456789012:some-queue").build())));
        assertEquals("ValidationException", queue.awsErrorDetails().errorCode());
        assertTrue(queue.getMessage().contains("delivers to Lambda functions and aliases only"), queue.getMessage());

        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class, () -> events.putTargets(
                request -> request.rule("never-put").targets(Target.builder().id("t").arn(triggeredAlias())
                        .build())));
        assertTrue(missing.getMessage().contains("Rule never-put does not exist on EventBus default"),
                missing.getMessage());
    }

    @Test
    void putEventsAnswersEachEntryWithAnEventIdOrItsErrorCode() {
        PutEventsResponse put = events.putEvents(request -> request.entries(
                entry("ok.app", "{\"a\": 1}", null, null),
                entry("ok.app", "[1, 2]", null, null),
                PutEventsRequestEntry.builder().source("ok.app").detail("{}").build(),
                entry("ok.app", "{}", "no-such-bus", null)));

        assertEquals(3, put.failedEntryCount());
        assertNotNull(put.entries().get(0).eventId());
        assertNull(put.entries().get(0).errorCode());
        assertEquals("MalformedDetail", put.entries().get(1).errorCode());
        assertEquals("InvalidArgument", put.entries().get(2).errorCode());
        assertTrue(put.entries().get(2).errorMessage().contains("DetailType is a required argument"));
        assertEquals("ResourceNotFoundException", put.entries().get(3).errorCode());
    }

    private static PutEventsRequestEntry entry(String source, String detail, String bus, String traceHeader) {
        return PutEventsRequestEntry.builder().source(source).detailType("Hop check").detail(detail)
                .eventBusName(bus).traceHeader(traceHeader).build();
    }

    /**
     * The delivery: the rule's target runs with the event in EventBridge's shape (its detail the payload), and
     * Lambda's segment for it hangs under the entry's TraceHeader, not the HTTP header the request also carried.
     */
    @Test
    void theTargetRunsWithTheEventAndTheEntrysTraceHeaderBeatsTheHttpOne() throws Exception {
        String rule = events.putRule(request -> request.name("to-triggered").eventPattern(
                "{\"source\": [\"xrayasync.triggering\"], \"detail\": {\"schemaVersion\": [{\"numeric\": [\">=\", 1]}]}}"))
                .ruleArn();
        events.putTargets(request -> request.rule("to-triggered")
                .targets(Target.builder().id("triggered").arn(triggeredAlias()).build()));
        permitEventsFrom(rule);
        String entryTrace = "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00000000000000000000e001";
        String httpTrace = "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00000000000000000000a001";
        int ranBefore = triggeredRuns();

        String payload = payload();

        try (EventBridgeClient traced = client("Root=" + httpTrace + ";Parent=00000000000000a1;Sampled=1")) {
            PutEventsResponse put = traced.putEvents(request -> request.entries(entry("xrayasync.triggering",
                    payload, null, "Root=" + entryTrace + ";Parent=00000000000000e1;Sampled=1")));
            assertEquals(0, put.failedEntryCount(), put.toString());
        }

        ObjectNode service = lambdaSegment(entryTrace);
        assertEquals(entryTrace, service.path("trace_id").asText());
        assertEquals("00000000000000e1", service.path("parent_id").asText(), service.toString());
        assertEquals(triggeredAlias(), service.path("resource_arn").asText());
        awaitRuns(ranBefore + 1);
        assertTrue(fixture.cloud.traces().segments(httpTrace).isEmpty(), "nothing in the HTTP header's trace");
    }

    /** With neither header the target's invoke carries none: Lambda starts a trace of its own, under no parent. */
    @Test
    void withNoTraceHeaderTheTargetsSegmentHasNoParent() throws Exception {
        String rule = events.putRule(request -> request.name("untraced").eventPattern(
                "{\"source\": [\"untraced.sender\"]}")).ruleArn();
        events.putTargets(request -> request.rule("untraced")
                .targets(Target.builder().id("triggered").arn(triggeredAlias()).build()));
        permitEventsFrom(rule);
        Set<String> before = new HashSet<>(fixture.cloud.traces().traceIds());
        int ranBefore = triggeredRuns();
        String payload = payload();
        // Lambda samples an untraced request through its reservoir of one a second; a fresh second has room.
        Thread.sleep(1100);

        assertEquals(0, events.putEvents(request -> request.entries(entry("untraced.sender", payload, null,
                null))).failedEntryCount());

        awaitRuns(ranBefore + 1);
        ObjectNode service = awaitSegment(() -> fixture.cloud.traces().traceIds().stream()
                .filter(id -> !before.contains(id)).map(this::serviceSegmentIn).flatMap(Optional::stream)
                .findFirst());
        assertFalse(service.has("parent_id"), service.toString());
    }

    /** The build's independent check: boto3 creates the bus, rule and target, puts the event and reads the trace. */
    @Test
    void boto3PutsAnEventWhoseTraceHeaderReachesTheTarget() throws Exception {
        Boto3 boto3 = Boto3.find().orElse(null);
        Assumptions.assumeTrue(boto3 != null, "no Python with boto3 on this machine");
        Path scripts = Files.createDirectories(work.resolve("boto3"));
        String trace = "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00000000000000000000b001";
        int ranBefore = triggeredRuns();

        JsonNode seen = boto3.run(fixture.cloud.endpoint(), scripts, "eventbridge_calls.py", triggeredAlias(),
                "Root=" + trace + ";Parent=00000000000000b1;Sampled=1",
                LocalCloudFixture.ROOT.resolve(PAYLOAD_FILE).toString());

        assertEquals("arn:aws:events:us-east-1:123456789012:rule/boto3-bus/boto3-rule",
                seen.path("rule_arn").asText());
        assertEquals(triggeredAlias(), seen.path("targets").get(0).path("Arn").asText());
        assertEquals(1, seen.path("failed_entry_count").asInt(), seen.toString());
        assertEquals("MalformedDetail", seen.path("entries").get(1).path("ErrorCode").asText());
        JsonNode service = seen.path("lambda_segments").get(0);
        assertNotNull(service, seen.toString());
        assertEquals(trace, service.path("trace_id").asText());
        assertEquals("00000000000000b1", service.path("parent_id").asText());
        awaitRuns(ranBefore + 1);
    }

    private static String payload() throws Exception {
        return Files.readString(LocalCloudFixture.ROOT.resolve(PAYLOAD_FILE));
    }

    private static int triggeredRuns() {
        return (int) fixture.cloud.log().lines(fixture.functionName("TriggeredFunction")).stream()
                .filter(line -> line.contains("Triggered by")).count();
    }

    private static void awaitRuns(int runs) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (triggeredRuns() < runs && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertEquals(runs, triggeredRuns(), String.join("\n", fixture.cloud.log().lines(
                fixture.functionName("TriggeredFunction"))));
    }

    private Optional<ObjectNode> serviceSegmentIn(String traceId) {
        List<ObjectNode> documents = fixture.cloud.traces().segments(traceId).orElse(List.of());
        return documents.stream().filter(document -> "AWS::Lambda".equals(document.path("origin").asText())
                && fixture.functionName("TriggeredFunction").equals(document.path("name").asText())).findFirst();
    }

    private ObjectNode lambdaSegment(String traceId) throws InterruptedException {
        return awaitSegment(() -> serviceSegmentIn(traceId));
    }

    private static ObjectNode awaitSegment(java.util.function.Supplier<Optional<ObjectNode>> found)
            throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(deadline)) {
            Optional<ObjectNode> segment = found.get();
            if (segment.isPresent()) {
                return segment.get();
            }
            Thread.sleep(200);
        }
        List<String> traces = new ArrayList<>(fixture.cloud.traces().traceIds());
        throw new AssertionError("No AWS::Lambda segment of TriggeredFunction in 90 s; traces: " + traces);
    }
}
