package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * SNS as the AWS SDK's own SnsClient sees it on the local cloud's edge (the query protocol): topics and their
 * attributes, SQS subscriptions with SNS's JSON envelope or raw delivery and the trace header carried on, and a Lambda
 * subscription that SNS may not invoke without the function's permission.
 */
class SnsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "Root=1-6a4f0c2b-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

    @RegisterExtension
    static final SharedCloud CLOUD = new SharedCloud(Map.of());

    private static SnsClient sns() {
        return CLOUD.clients().sns;
    }

    private static String queueArn(String name) {
        String url = CLOUD.clients().sqs.createQueue(request -> request.queueName(name)).queueUrl();
        return CLOUD.clients().sqs.getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static List<Message> receive(String queue) {
        String url = CLOUD.clients().sqs.getQueueUrl(request -> request.queueName(queue)).queueUrl();
        return CLOUD.clients().sqs.receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(5).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    @Test
    void createTopicIsIdempotentAndItsAttributesSayItsTracing() {
        String arn = sns().createTopic(request -> request.name("traced").attributes(Map.of("TracingConfig",
                "Active"))).topicArn();

        assertEquals("arn:aws:sns:us-east-1:123456789012:traced", arn);
        assertEquals(arn, sns().createTopic(request -> request.name("traced")).topicArn());
        assertEquals("Active", sns().getTopicAttributes(request -> request.topicArn(arn)).attributes()
                .get("TracingConfig"));
        assertTrue(sns().listTopics().topics().stream().anyMatch(topic -> topic.topicArn().equals(arn)));
    }

    @Test
    void aTopicThatDoesNotExistIsNotFound() {
        NotFoundException missing = assertThrows(NotFoundException.class, () -> sns().getTopicAttributes(request ->
                request.topicArn("arn:aws:sns:us-east-1:123456789012:nowhere")));
        assertEquals("NotFound", missing.awsErrorDetails().errorCode());
    }

    @Test
    void anSqsSubscriberGetsTheNotificationEnvelopeWithTheTraceHeaderAsAwsTraceHeader() throws Exception {
        String topic = sns().createTopic(request -> request.name("to-queue")).topicArn();
        sns().subscribe(request -> request.topicArn(topic).protocol("sqs").endpoint(queueArn("enveloped")));

        String messageId = sns().publish(request -> request.topicArn(topic).message("hello").subject("greeting")
                .messageAttributes(Map.of("kind", MessageAttributeValue.builder().dataType("String")
                        .stringValue("test").build()))
                .overrideConfiguration(override -> override.putHeader("X-Amzn-Trace-Id", HEADER))).messageId();

        Message received = receive("enveloped").getFirst();
        JsonNode envelope = JSON.readTree(received.body());
        assertEquals("Notification", envelope.path("Type").asText());
        assertEquals(messageId, envelope.path("MessageId").asText());
        assertEquals(topic, envelope.path("TopicArn").asText());
        assertEquals("hello", envelope.path("Message").asText());
        assertEquals("greeting", envelope.path("Subject").asText());
        assertEquals("test", envelope.path("MessageAttributes").path("kind").path("Value").asText());
        assertEquals(HEADER, received.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER));
    }

    @Test
    void rawDeliveryHandsTheQueueTheMessageItselfWithItsAttributes() {
        String topic = sns().createTopic(request -> request.name("raw")).topicArn();
        sns().subscribe(request -> request.topicArn(topic).protocol("sqs").endpoint(queueArn("raw-queue"))
                .attributes(Map.of("RawMessageDelivery", "true")));

        sns().publish(request -> request.topicArn(topic).message("as is").messageAttributes(Map.of("kind",
                MessageAttributeValue.builder().dataType("String").stringValue("raw").build())));

        Message received = receive("raw-queue").getFirst();
        assertEquals("as is", received.body());
        assertEquals("raw", received.messageAttributes().get("kind").stringValue());
    }

    /** Lambda developer guide, "Using Lambda with Amazon SNS": the function's policy must let SNS invoke it. */
    @Test
    void aFunctionThatDoesNotPermitSnsIsNotInvokedAndTheCloudSaysWhy() throws Exception {
        String topic = sns().createTopic(request -> request.name("unpermitted")).topicArn();
        String function = CLOUD.fixture().functionName("TriggeredFunction");
        String alias = CLOUD.fixture().cloud.stack().function("TriggeredFunction").arn().qualified("live").toString();
        sns().subscribe(request -> request.topicArn(topic).protocol("lambda").endpoint(alias));

        sns().publish(request -> request.topicArn(topic).message("{}"));

        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        List<String> lines = List.of();
        while (Instant.now().isBefore(deadline) && lines.stream().noneMatch(line -> line.contains("resource-based"))) {
            Thread.sleep(100);
            lines = CLOUD.fixture().cloud.log().lines(alias);
        }
        assertTrue(lines.stream().anyMatch(line -> line.contains("does not allow sns.amazonaws.com")), lines.toString());
        assertTrue(CLOUD.fixture().cloud.log().lines(function).stream().noneMatch(line -> line.startsWith("START")),
                "the function did not run");
    }
}
