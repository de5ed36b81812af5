package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import xrayasync.localcloud.core.template.FunctionDefinition;

/** A triggered event that keeps failing is retried as the template says, then kept: nothing is lost silently. */
class AsyncFailureEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** An event TriggeredFunction rejects (a schema version it does not know), sent to its alias as Event. */
    private static ObjectNode sendRejectedEvent(LocalCloudFixture fixture, FunctionDefinition triggered)
            throws Exception {
        ObjectNode payload = (ObjectNode) JSON.readTree(
                Files.readString(LocalCloudFixture.ROOT.resolve("events/triggered-event.json")));
        payload.put("schemaVersion", 2);

        int status = fixture.clients.lambda().invoke(request -> request
                .functionName(triggered.arn().qualified(triggered.alias()).toString())
                .invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String(payload.toString()))).statusCode();

        assertEquals(202, status);
        assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(60)));
        return payload;
    }

    @Test
    void failingTriggeredEventIsRetriedThenKeptInTheFailureQueue() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            FunctionDefinition triggered = fixture.cloud.stack().function("TriggeredFunction");
            ObjectNode payload = sendRejectedEvent(fixture, triggered);
            String queue = triggered.asyncConfig().onFailureQueue();
            List<ObjectNode> records = fixture.cloud.failureDestinations().records(queue);
            assertEquals(1, records.size());
            JsonNode record = records.getFirst();
            int attempts = 1 + triggered.asyncConfig().maximumRetryAttempts();
            assertEquals("RetriesExhausted", record.path("requestContext").path("condition").asText());
            assertEquals(attempts, record.path("requestContext").path("approximateInvokeCount").asInt());
            assertEquals(triggered.arn().qualified("live").toString(), record.path("requestContext").path("functionArn").asText());
            assertEquals(payload, record.path("requestPayload"));
            assertEquals("Unhandled", record.path("responseContext").path("functionError").asText());
            assertTrue(record.path("responsePayload").path("errorMessage").asText().contains("'schemaVersion' is 2"),
                    record.toString());
            assertEquals(attempts, fixture.cloud.log().lines(triggered.name()).stream()
                    .filter(line -> line.startsWith("REPORT")).count());
        }
    }

    @Test
    void theAwsCliReceivesTheFailureRecordAtTheQueueUrlTheStackOutputGives() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            AwsCli cli = AwsCli.find(fixture.cloud.endpoint()).orElse(null);
            Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
            ObjectNode payload = sendRejectedEvent(fixture, fixture.cloud.stack().function("TriggeredFunction"));
            String queueUrl = StreamSupport.stream(cli.json("cloudformation", "describe-stacks", "--stack-name",
                    "xray-async").path("Stacks").get(0).path("Outputs").spliterator(), false)
                    .filter(output -> output.path("OutputKey").asText().equals("TriggeredFailureQueueUrl"))
                    .findFirst().orElseThrow().path("OutputValue").asText();

            JsonNode message = cli.json("sqs", "receive-message", "--queue-url", queueUrl, "--attribute-names", "All")
                    .path("Messages").get(0);

            JsonNode record = JSON.readTree(message.path("Body").asText());
            assertEquals("RetriesExhausted", record.path("requestContext").path("condition").asText());
            assertEquals(payload, record.path("requestPayload"));
            assertEquals("1", message.path("Attributes").path("ApproximateReceiveCount").asText());
        }
    }

    @Test
    void eventsToTheUnqualifiedFunctionDoNotGetTheAliasAsyncSettings() throws Exception {
        try (LocalCloudFixture fixture = new LocalCloudFixture(work, Map.of())) {
            FunctionDefinition triggered = fixture.cloud.stack().function("TriggeredFunction");

            fixture.clients.lambda().invoke(request -> request.functionName(triggered.name())
                    .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{}")));

            assertTrue(fixture.cloud.lambda().asyncQueue().awaitIdle(Duration.ofSeconds(60)));
            assertEquals(List.of(), fixture.cloud.failureDestinations().records(triggered.asyncConfig().onFailureQueue()));
            assertEquals(1, fixture.cloud.lambda().asyncQueue().discardedCount());
            assertTrue(fixture.cloud.log().lines(triggered.name()).stream()
                    .anyMatch(line -> line.contains("discarded") && line.contains("no on-failure destination")));
        }
    }
}
