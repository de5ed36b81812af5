package xrayasync.triggered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.xray.AWSXRay;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The sample events under events/ stay what the functions send and accept (this test sits in TriggeredFunction's
 * package to call its payload reader as the handler does).
 */
class SampleEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = ProjectRoot.locate().resolve("events");

    @Test
    void triggeredEventIsAPayloadTriggeredFunctionAccepts() throws IOException {
        TriggerPayload payload = TriggerPayload.parse(Files.readAllBytes(EVENTS.resolve("triggered-event.json")));

        assertEquals(TriggerPayload.SCHEMA_VERSION, payload.schemaVersion());
        assertTrue(payload.callerTraceId() != null, "the sample carries a caller trace header");
    }

    @Test
    void triggeredEventHasExactlyTheFieldsTriggeringFunctionSends() throws Exception {
        Set<String> sent = new TreeSet<>(Arrays.stream(Class.forName("xrayasync.triggering.TriggerPayload")
                .getRecordComponents()).map(RecordComponent::getName).toList());
        Set<String> sample = new TreeSet<>();
        JSON.readTree(EVENTS.resolve("triggered-event.json").toFile()).fieldNames().forEachRemaining(sample::add);

        assertEquals(sent, sample);
    }

    // The samples are in the shape each service delivers, as the Lambda guide's own samples show them ("Using Lambda
    // with Amazon SQS", "Invoking Lambda functions with Amazon SNS notifications"; the EventBridge guide's "Amazon
    // EventBridge events"), carrying the payload of triggered-event.json as TriggeringFunction writes it.
    @Test
    void sqsSampleIsABatchWhoseMessageTriggeredFunctionHandles() throws IOException {
        SQSEvent event = asTheRuntimeReadsIt("triggered-sqs-event.json", SQSEvent.class);
        SampleContext context = new SampleContext();

        assertEquals(samplePayload(), TriggerPayload.parse(bytes(event.getRecords().getFirst().getBody())));
        assertEquals(List.of(), handler().handleQueueMessages(event, context).getBatchItemFailures());
        assertTrue(context.summarized(), context.lines::toString);
    }

    @Test
    void snsSampleIsANotificationWhoseMessageTriggeredFunctionHandles() throws IOException {
        SNSEvent event = asTheRuntimeReadsIt("triggered-sns-event.json", SNSEvent.class);
        SampleContext context = new SampleContext();

        assertEquals(samplePayload(), TriggerPayload.parse(bytes(event.getRecords().getFirst().getSNS().getMessage())));
        handler().handleNotification(event, context);
        assertTrue(context.summarized(), context.lines::toString);
    }

    @Test
    void eventBridgeSampleIsAnEventWhoseDetailTriggeredFunctionHandles() throws IOException {
        ScheduledEvent event = asTheRuntimeReadsIt("triggered-eventbridge-event.json", ScheduledEvent.class);
        SampleContext context = new SampleContext();

        assertEquals("xray-async.triggering", event.getSource());
        assertEquals("TriggerPayload", event.getDetailType());
        assertEquals(samplePayload(), TriggerPayload.parse(HopDeliveries.detail(event)));
        handler().handleEvent(event, context);
        assertTrue(context.summarized(), context.lines::toString);
    }

    /** Lambda calls the stream overloads, which read the events with jackson-jr: to the same objects as the runtime. */
    @Test
    void theStreamOverloadsReadEachSampleAsTheRuntimesSerializerDoes() throws IOException {
        try (InputStream sqs = Files.newInputStream(EVENTS.resolve("triggered-sqs-event.json"));
                InputStream sns = Files.newInputStream(EVENTS.resolve("triggered-sns-event.json"));
                InputStream eventBridge = Files.newInputStream(EVENTS.resolve("triggered-eventbridge-event.json"))) {
            assertEquals(asTheRuntimeReadsIt("triggered-sqs-event.json", SQSEvent.class), HopEvents.sqsEvent(sqs));
            assertEquals(asTheRuntimeReadsIt("triggered-sns-event.json", SNSEvent.class), HopEvents.snsEvent(sns));
            assertEquals(asTheRuntimeReadsIt("triggered-eventbridge-event.json", ScheduledEvent.class),
                    HopEvents.scheduledEvent(eventBridge));
        }
    }

    @Test
    void triggeringEventIsTheConsolesSampleObject() throws IOException {
        JsonNode event = JSON.readTree(EVENTS.resolve("triggering-event.json").toFile());

        assertTrue(event.isObject(), event.toString());
    }

    @Test
    void localEnvironmentFileNamesTheTemplatesFunctionsAndOnlyTheirVariables() throws IOException {
        SamTemplate template = SamTemplate.load(EVENTS.resolveSibling("template.yaml"));
        JsonNode environment = JSON.readTree(EVENTS.resolve("env.json").toFile());
        List<String> functions = new ArrayList<>();
        environment.fieldNames().forEachRemaining(functions::add);

        assertEquals(template.functionIds(), functions);
        for (String function : functions) {
            Object declared = template.properties(function).get("Environment");
            Set<String> templateVariables = declared == null ? Set.of()
                    : SamTemplate.map(SamTemplate.map(declared).get("Variables")).keySet();
            environment.get(function).fieldNames().forEachRemaining(variable ->
                    assertTrue(templateVariables.contains(variable), function + " declares " + variable));
        }
    }

    private static TriggerPayload samplePayload() throws IOException {
        return TriggerPayload.parse(Files.readAllBytes(EVENTS.resolve("triggered-event.json")));
    }

    /** The sample read by the serializer the Java runtime uses for aws-lambda-java-events types. */
    private static <T> T asTheRuntimeReadsIt(String sample, Class<T> type) throws IOException {
        try (InputStream json = Files.newInputStream(EVENTS.resolve(sample))) {
            return LambdaEventSerializers.serializerFor(type, type.getClassLoader()).fromJson(json);
        }
    }

    // S3 answers from the canned listing priming uses, so the handler runs whole without a network or credentials;
    // and no X-Ray segment is open here, which the recorder is told to take quietly (in Lambda there always is one).
    private static TriggeredHandler handler() {
        AWSXRay.setGlobalRecorder(AWSXRayRecorderBuilder.standard()
                .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy()).build());
        return new TriggeredHandler(S3Client.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDSAMPLEEVENTS", "sample-events-secret")))
                .httpClient(CannedHttpClient.forPriming())
                .build(), Region.US_EAST_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A Lambda context that keeps what the handler logs. */
    private static final class SampleContext implements Context {

        private final List<String> lines = new CopyOnWriteArrayList<>();

        boolean summarized() {
            return lines.stream().anyMatch(line -> line.startsWith("Triggered by xray-async-TriggeringFunction-Zz98Yy76"
                    + " request c0ffee00-1111-2222-3333-444455556666"));
        }

        @Override
        public String getAwsRequestId() {
            return "d00dfeed-7777-8888-9999-000011112222";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/xray-async-TriggeredFunction-Ab12Cd34";
        }

        @Override
        public String getLogStreamName() {
            return "2026/11/24/[$LATEST]0123456789abcdef0123456789abcdef";
        }

        @Override
        public String getFunctionName() {
            return "xray-async-TriggeredFunction-Ab12Cd34";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:xray-async-TriggeredFunction-Ab12Cd34";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    lines.add(message);
                }

                @Override
                public void log(byte[] message) {
                    lines.add(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
