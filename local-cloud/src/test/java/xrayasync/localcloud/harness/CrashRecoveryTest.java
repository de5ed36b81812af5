package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.xray.model.Segment;
import software.amazon.awssdk.services.xray.model.Trace;

/**
 * {@code kill -9} of a local cloud in the middle of sustained load (synchronous and asynchronous invokes, uploads,
 * change sets as sam deploy makes them), then a start on the same work folder: every segment and log event a read
 * had returned is there, every object answered 200 reads back byte for byte, every event accepted with 202 runs or
 * reaches the failure destination, and every stack is in a state CloudFormation would leave it in.
 */
class CrashRecoveryTest {

    private static final String CALLER = "xray-async-TriggeringFunction";
    private static final String CALLEE = "xray-async-TriggeredFunction";
    private static final String BUCKET = "uploads";
    private static final String SMALL_STACK = """
            Resources:
              Logs:
                Type: AWS::Logs::LogGroup
                Properties:
                  RetentionInDays: 7
              Failures:
                Type: AWS::SQS::Queue
              Artifacts:
                Type: AWS::S3::Bucket
            """;
    private static final Set<String> SETTLED = Set.of("CREATE_COMPLETE", "ROLLBACK_COMPLETE", "REVIEW_IN_PROGRESS",
            "DELETE_COMPLETE");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kind of call the load repeats, with a pause after each. */
    private record Load(Runnable call, long pauseMillis) {
    }

    @TempDir
    Path work;

    /** What the cloud answered for before it was killed. */
    private final Map<String, Set<String>> segmentsSeen = new ConcurrentHashMap<>();
    private final Set<String> logEventsSeen = ConcurrentHashMap.newKeySet();
    private final Map<String, String> objectsPut = new ConcurrentHashMap<>();
    private final Set<String> eventsToSucceed = ConcurrentHashMap.newKeySet();
    private final Set<String> eventsToFail = ConcurrentHashMap.newKeySet();
    private final Set<String> stacksStarted = ConcurrentHashMap.newKeySet();
    private final Set<String> stacksExecuted = ConcurrentHashMap.newKeySet();

    private String[] serve() {
        return new String[] {"serve", "--port", "0", "--work-dir", work.toString(), "--retry-delay", "PT0.5S",
                "--template", LocalCloudFixture.ROOT.resolve("template.yaml").toString()};
    }

    @Test
    void everythingAnsweredBeforeAKillIsThereAfterTheRestart() throws Exception {
        String goodEvent = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json"));
        String callerEvent = Files.readString(LocalCloudFixture.ROOT.resolve("events/triggering-event.json"));
        try (CloudProcess first = CloudProcess.start(LocalCloudFixture.ROOT, serve());
                EdgeClients clients = new EdgeClients(first.endpoint(), Duration.ofSeconds(30))) {
            clients.s3.createBucket(request -> request.bucket(BUCKET));
            AtomicBoolean killed = new AtomicBoolean();
            List<Load> load = List.of(
                    new Load(() -> clients.invoke(CALLER, InvocationType.REQUEST_RESPONSE, callerEvent), 0),
                    new Load(() -> accepted(clients, goodEvent, eventsToSucceed), 200),
                    new Load(() -> accepted(clients, "{}", eventsToFail), 200),
                    new Load(() -> upload(clients), 100),
                    new Load(() -> deploy(clients), 300),
                    new Load(() -> read(clients), 300));
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Load kind : load) {
                    workers.execute(() -> {
                        while (!killed.get()) {
                            try {
                                kind.call().run();
                                Thread.sleep(kind.pauseMillis());
                            } catch (RuntimeException refusedOrCut) {
                                // Calls cut by the kill did not succeed, so nothing is expected of them.
                            } catch (InterruptedException stopped) {
                                return;
                            }
                        }
                    });
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(12_000, 18_000));
                List<ProcessHandle> functions = first.handle().descendants().toList();
                first.kill();
                killed.set(true);
                functions.forEach(ProcessHandle::destroyForcibly);
            }
        }
        System.out.printf("Answered before the kill: %d segments in %d traces read back, %d log events read back,"
                + " %d objects, %d + %d async events, %d of %d change sets executed%n",
                segmentsSeen.values().stream().mapToInt(Set::size).sum(), segmentsSeen.size(), logEventsSeen.size(),
                objectsPut.size(), eventsToSucceed.size(), eventsToFail.size(), stacksExecuted.size(),
                stacksStarted.size());
        assertFalse(segmentsSeen.isEmpty(), "the load produced traces before the kill");
        assertFalse(objectsPut.isEmpty() || eventsToFail.isEmpty() || eventsToSucceed.isEmpty()
                || stacksExecuted.isEmpty() || logEventsSeen.isEmpty(), "the load reached every service");

        try (CloudProcess again = CloudProcess.start(LocalCloudFixture.ROOT, serve());
                EdgeClients clients = new EdgeClients(again.endpoint(), Duration.ofSeconds(30))) {
            assertEverySegmentSeenIsKept(clients);
            assertEveryLogEventSeenIsKept(clients);
            assertEveryObjectReadsBackByteForByte(clients);
            assertEveryAcceptedEventRunsOrReachesTheFailureQueue(clients);
            assertEveryStackIsSettled(clients);
        }
    }

    private static void accepted(EdgeClients clients, String payload, Set<String> requestIds) {
        var answer = clients.lambda.invoke(request -> request.functionName(CALLEE + ":live")
                .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String(payload)));
        assertEquals(202, answer.statusCode());
        requestIds.add(answer.responseMetadata().requestId());
    }

    private void upload(EdgeClients clients) {
        byte[] bytes = new byte[ThreadLocalRandom.current().nextInt(0, 2 << 20)];
        ThreadLocalRandom.current().nextBytes(bytes);
        String key = "object-" + System.nanoTime();
        clients.s3.putObject(request -> request.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));
        objectsPut.put(key, sha256(bytes));
    }

    private void deploy(EdgeClients clients) {
        String stack = "crash-" + System.nanoTime();
        stacksStarted.add(stack);
        String changeSet = clients.cloudFormation.createChangeSet(request -> request.stackName(stack)
                .changeSetName("deploy").changeSetType(ChangeSetType.CREATE).templateBody(SMALL_STACK)
                .capabilities(Capability.CAPABILITY_IAM)).id();
        clients.cloudFormation.executeChangeSet(request -> request.changeSetName(changeSet));
        stacksExecuted.add(stack);
    }

    /** What a user's reads would have shown: the recent traces and the functions' log events. */
    private void read(EdgeClients clients) {
        Instant now = Instant.now();
        List<String> recent = clients.xray.getTraceSummaries(request -> request.startTime(now.minusSeconds(600))
                .endTime(now)).traceSummaries().stream().map(summary -> summary.id()).toList();
        List<String> traceIds = recent.subList(Math.max(0, recent.size() - 5), recent.size());
        if (!traceIds.isEmpty()) {
            for (Trace trace : clients.xray.batchGetTraces(request -> request.traceIds(traceIds)).traces()) {
                // Inferred segments are X-Ray's view, not documents it kept: one goes once the real segment arrives.
                segmentsSeen.computeIfAbsent(trace.id(), id -> ConcurrentHashMap.newKeySet())
                        .addAll(trace.segments().stream().filter(segment -> !segment.document()
                                .contains("\"inferred\":true")).map(Segment::id).toList());
            }
        }
        for (String function : List.of(CALLER, CALLEE)) {
            clients.logs.filterLogEvents(request -> request.logGroupName("/aws/lambda/" + function)).events()
                    .forEach(event -> logEventsSeen.add(event.eventId()));
        }
    }

    private void assertEverySegmentSeenIsKept(EdgeClients clients) {
        for (Map.Entry<String, Set<String>> seen : segmentsSeen.entrySet()) {
            List<Trace> traces = clients.xray.batchGetTraces(request -> request.traceIds(seen.getKey())).traces();
            assertEquals(1, traces.size(), "trace " + seen.getKey());
            // Every id in the kept documents: a subsegment seen on its own before its parent came is nested now.
            Set<String> kept = new HashSet<>();
            for (Segment segment : traces.getFirst().segments()) {
                readTree(segment.document()).findValuesAsText("id").forEach(kept::add);
            }
            assertTrue(kept.containsAll(seen.getValue()), "trace " + seen.getKey() + " kept " + kept + " of "
                    + seen.getValue());
        }
    }

    private void assertEveryLogEventSeenIsKept(EdgeClients clients) {
        Set<String> kept = new HashSet<>();
        for (String function : List.of(CALLER, CALLEE)) {
            allEvents(clients, function).forEach(event -> kept.add(event.eventId()));
        }
        Set<String> lost = new HashSet<>(logEventsSeen);
        lost.removeAll(kept);
        assertEquals(Set.of(), lost, "log events read before the kill and gone after it");
    }

    private void assertEveryObjectReadsBackByteForByte(EdgeClients clients) {
        objectsPut.forEach((key, digest) -> assertEquals(digest, sha256(clients.s3.getObjectAsBytes(request ->
                request.bucket(BUCKET).key(key)).asByteArray()), key));
    }

    private void assertEveryAcceptedEventRunsOrReachesTheFailureQueue(EdgeClients clients) throws Exception {
        String queueUrl = clients.cloudFormation.describeStacks(request -> request.stackName("xray-async")).stacks()
                .getFirst().outputs().stream().filter(output -> output.outputKey().equals("TriggeredFailureQueueUrl"))
                .findFirst().orElseThrow().outputValue();
        Set<String> failed = new HashSet<>();
        Set<String> succeeded = new HashSet<>();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline) && !(failed.containsAll(eventsToFail)
                && succeeded.containsAll(eventsToSucceed))) {
            for (Message message : clients.sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                failed.add(JSON.readTree(message.body()).path("requestContext").path("requestId")
                        .asText());
            }
            allEvents(clients, CALLEE).stream().map(FilteredLogEvent::message)
                    .filter(message -> message.contains("\"type\":\"platform.report\"")
                            && message.contains("\"status\":\"success\""))
                    .forEach(report -> eventsToSucceed.stream().filter(report::contains).forEach(succeeded::add));
        }
        assertTrue(failed.containsAll(eventsToFail), "accepted failing events missing from the failure queue: "
                + missing(eventsToFail, failed::contains));
        assertTrue(succeeded.containsAll(eventsToSucceed), "accepted events that never ran: "
                + missing(eventsToSucceed, succeeded::contains));
    }

    private void assertEveryStackIsSettled(EdgeClients clients) {
        for (String name : stacksStarted) {
            List<Stack> stacks;
            try {
                stacks = clients.cloudFormation.describeStacks(request -> request.stackName(name)).stacks();
            } catch (CloudFormationException notMade) {
                assertFalse(stacksExecuted.contains(name), name + ": ExecuteChangeSet had answered");
                continue;
            }
            String status = stacks.getFirst().stackStatusAsString();
            assertTrue(SETTLED.contains(status), name + " is " + status);
            if (stacksExecuted.contains(name)) {
                assertEquals("CREATE_COMPLETE", status, name + ": ExecuteChangeSet had answered");
            }
        }
    }

    private static JsonNode readTree(String document) {
        try {
            return JSON.readTree(document);
        } catch (JsonProcessingException unreadable) {
            throw new AssertionError("BatchGetTraces answered a document that is not JSON: " + document, unreadable);
        }
    }

    private static List<FilteredLogEvent> allEvents(EdgeClients clients, String function) {
        List<FilteredLogEvent> events = new ArrayList<>();
        clients.logs.filterLogEventsPaginator(request -> request.logGroupName("/aws/lambda/" + function))
                .forEach(page -> events.addAll(page.events()));
        return events;
    }

    private static List<String> missing(Set<String> expected, Predicate<String> found) {
        return expected.stream().filter(found.negate()).toList();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
