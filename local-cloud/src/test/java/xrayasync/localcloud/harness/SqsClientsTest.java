package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SQS as two independent clients see it, pointed at the local cloud by {@code AWS_ENDPOINT_URL} alone: the AWS CLI
 * (v1, botocore's model of SQS, AWS JSON 1.0) and boto3, each walking a queue through its life and reading SQS's
 * errors as they read AWS's.
 */
class SqsClientsTest {

    @RegisterExtension
    static final SharedCloud CLOUD = new SharedCloud(Map.of());

    private static AwsCli cli() {
        AwsCli cli = AwsCli.find(CLOUD.fixture().cloud.endpoint()).orElse(null);
        Assumptions.assumeTrue(cli != null, "the AWS CLI is not installed on this machine");
        return cli;
    }

    /** Runs a step of sqs_calls.py with boto3 against the cloud. */
    private static JsonNode boto3(String... step) throws Exception {
        Boto3 boto3 = Boto3.find().orElse(null);
        Assumptions.assumeTrue(boto3 != null, "no Python with boto3 on this machine");
        return boto3.run(CLOUD.fixture().cloud.endpoint(), CLOUD.work(), "sqs_calls.py", step);
    }

    private static String cliQueue(String name) throws Exception {
        return cli().json("sqs", "create-queue", "--queue-name", name).path("QueueUrl").asText();
    }

    @Test
    void theCliReceivesAMessageWithItsAttributes() throws Exception {
        String url = cliQueue("cli-received");
        JsonNode sent = cli().json("sqs", "send-message", "--queue-url", url, "--message-body", "from the cli",
                "--message-attributes", "{\"kind\":{\"DataType\":\"String\",\"StringValue\":\"cli\"}}");

        JsonNode message = cli().json("sqs", "receive-message", "--queue-url", url, "--attribute-names", "All",
                "--message-attribute-names", "All").path("Messages").get(0);

        assertEquals(sent.path("MessageId").asText(), message.path("MessageId").asText());
        assertEquals("from the cli", message.path("Body").asText());
        assertEquals(sent.path("MD5OfMessageBody").asText(), message.path("MD5OfBody").asText());
        assertEquals(sent.path("MD5OfMessageAttributes").asText(), message.path("MD5OfMessageAttributes").asText());
        assertEquals("cli", message.path("MessageAttributes").path("kind").path("StringValue").asText());
        assertEquals("1", message.path("Attributes").path("ApproximateReceiveCount").asText());
    }

    @Test
    void theCliDeletesAReceivedMessage() throws Exception {
        String url = cliQueue("cli-deleted");
        cli().run("sqs", "send-message", "--queue-url", url, "--message-body", "done");
        String handle = cli().json("sqs", "receive-message", "--queue-url", url).path("Messages").get(0)
                .path("ReceiptHandle").asText();

        cli().run("sqs", "delete-message", "--queue-url", url, "--receipt-handle", handle);

        JsonNode attributes = cli().json("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                "All").path("Attributes");
        assertEquals("0", attributes.path("ApproximateNumberOfMessages").asText());
        assertEquals("0", attributes.path("ApproximateNumberOfMessagesNotVisible").asText());
    }

    @Test
    void theCliPurgesThenDeletesAQueue() throws Exception {
        String url = cliQueue("cli-purged");
        cli().run("sqs", "send-message", "--queue-url", url, "--message-body", "gone soon");

        cli().run("sqs", "purge-queue", "--queue-url", url);
        assertEquals("0", cli().json("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                "ApproximateNumberOfMessages").path("Attributes").path("ApproximateNumberOfMessages").asText());
        cli().run("sqs", "delete-queue", "--queue-url", url);

        assertTrue(cli().fail("sqs", "get-queue-url", "--queue-name", "cli-purged")
                .contains("AWS.SimpleQueueService.NonExistentQueue"));
    }

    @Test
    void boto3SendsReceivesAndDeletesWithAttributes() throws Exception {
        JsonNode result = boto3("lifecycle", "boto3-queue");

        assertEquals(CLOUD.fixture().cloud.endpoint() + "/123456789012/boto3-queue", result.path("url").asText());
        assertEquals("from boto3", result.path("body").asText());
        assertEquals(result.path("sentMd5OfMessageAttributes").asText(),
                result.path("md5OfMessageAttributes").asText());
        assertEquals("test", result.path("kind").asText());
        assertEquals("AAE=", result.path("blob").asText());
        assertEquals("0", result.path("left").asText());
        assertEquals("40", result.path("visibilityTimeout").asText());
    }

    @Test
    void boto3RaisesQueueDoesNotExistWithSqsCode() throws Exception {
        JsonNode result = boto3("missing", "never-made");

        assertEquals("QueueDoesNotExist", result.path("exception").asText());
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", result.path("code").asText());
        assertEquals(400, result.path("status").asInt());
    }
}
