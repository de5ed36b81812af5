package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeNameForSends;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.TooManyEntriesInBatchRequestException;
import xrayasync.localcloud.core.LocalCloud;

/**
 * SQS as the AWS SDK's own SqsClient sees it on the local cloud's edge (AWS JSON 1.0): queues and their attributes,
 * messages with attributes whose digests the client checks, visibility timeouts, long polling, batches and the
 * errors SQS answers with, and the stack's failure queue made with the template's settings.
 */
class SqsApiTest {

    @RegisterExtension
    static final SharedCloud CLOUD = new SharedCloud(Map.of());

    private static SqsClient sqs() {
        return CLOUD.clients().sqs;
    }

    private static LocalCloud cloud() {
        return CLOUD.fixture().cloud;
    }

    private static String queue(String name, Map<QueueAttributeName, String> attributes) {
        return sqs().createQueue(request -> request.queueName(name).attributes(attributes)).queueUrl();
    }

    private static List<Message> receive(String url, int visibilityTimeout) {
        return sqs().receiveMessage(request -> request.queueUrl(url).maxNumberOfMessages(10)
                .visibilityTimeout(visibilityTimeout).messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    @Test
    void queueUrlIsOnTheEdgeAndGetQueueUrlFindsIt() {
        String url = queue("found", Map.of());

        assertEquals(cloud().endpoint() + "/123456789012/found", url);
        assertEquals(url, sqs().getQueueUrl(request -> request.queueName("found")).queueUrl());
    }

    @Test
    void createQueueIsIdempotentWithTheSameAttributesAndRefusedWithOthers() {
        String url = queue("idempotent", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45"));

        assertEquals(url, queue("idempotent", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "45")));
        QueueNameExistsException refused = assertThrows(QueueNameExistsException.class,
                () -> queue("idempotent", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "46")));
        assertEquals("QueueAlreadyExists", refused.awsErrorDetails().errorCode());
    }

    @Test
    void aMissingQueueIsQueueDoesNotExistWithSqsQueryCode() {
        QueueDoesNotExistException missing = assertThrows(QueueDoesNotExistException.class,
                () -> sqs().getQueueUrl(request -> request.queueName("never-made")));

        assertEquals("AWS.SimpleQueueService.NonExistentQueue", missing.awsErrorDetails().errorCode());
        assertEquals(400, missing.statusCode());
    }

    @Test
    void messageAttributesComeBackWithDigestsTheClientChecks() {
        String url = queue("attributes", Map.of());
        SendMessageResponse sent = sqs().sendMessage(request -> request.queueUrl(url).messageBody("héllo")
                .messageAttributes(Map.of(
                        "colour", MessageAttributeValue.builder().dataType("String").stringValue("blue").build(),
                        "count", MessageAttributeValue.builder().dataType("Number.int").stringValue("3").build(),
                        "raw", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromUtf8String("bytes")).build()))
                .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder().dataType("String")
                                .stringValue("Root=1-6743a1b2-0123456789abcdef01234567;Sampled=1").build())));

        Message received = receive(url, 30).getFirst();

        assertEquals(sent.messageId(), received.messageId());
        assertEquals("héllo", received.body());
        assertEquals(sent.md5OfMessageAttributes(), received.md5OfMessageAttributes());
        assertEquals("bytes", received.messageAttributes().get("raw").binaryValue().asUtf8String());
        assertEquals("Root=1-6743a1b2-0123456789abcdef01234567;Sampled=1",
                received.attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER));
        assertEquals("123456789012", received.attributes().get(MessageSystemAttributeName.SENDER_ID));
        assertTrue(Long.parseLong(received.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP)) > 0);
    }

    @Test
    void aReceivedMessageIsInvisibleUntilItsTimeoutThenReceivedAgainWithCountTwo() throws Exception {
        String url = queue("visibility", Map.of());
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("once"));

        Message first = receive(url, 1).getFirst();
        assertEquals(List.of(), receive(url, 1));
        Thread.sleep(1_200);
        Message second = receive(url, 30).getFirst();

        assertEquals(first.messageId(), second.messageId());
        assertEquals("2", second.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        assertNotEquals(first.receiptHandle(), second.receiptHandle());
        assertEquals(first.attributes().get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP),
                second.attributes().get(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP));
    }

    @Test
    void aLongPollReturnsAsSoonAsAMessageIsSent() throws Exception {
        String url = queue("long-poll", Map.of());
        long started = System.nanoTime();
        CompletableFuture<List<Message>> polled = CompletableFuture.supplyAsync(() -> sqs().receiveMessage(
                request -> request.queueUrl(url).waitTimeSeconds(20)).messages());
        Thread.sleep(500);

        sqs().sendMessage(request -> request.queueUrl(url).messageBody("now"));

        assertEquals("now", polled.get(10, TimeUnit.SECONDS).getFirst().body());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aDeletedMessageIsGoneAndAnInventedReceiptHandleIsInvalid() throws Exception {
        String url = queue("deleted", Map.of());
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("bye"));
        Message received = receive(url, 0).getFirst();

        sqs().deleteMessage(request -> request.queueUrl(url).receiptHandle(received.receiptHandle()));

        assertEquals(List.of(), receive(url, 0));
        ReceiptHandleIsInvalidException invalid = assertThrows(ReceiptHandleIsInvalidException.class,
                () -> sqs().deleteMessage(request -> request.queueUrl(url).receiptHandle("made-up")));
        assertEquals(404, invalid.statusCode());
    }

    @Test
    void changingTheVisibilityToZeroMakesAMessageVisibleAtOnce() {
        String url = queue("change-visibility", Map.of());
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("again"));
        Message received = receive(url, 600).getFirst();

        sqs().changeMessageVisibility(request -> request.queueUrl(url).receiptHandle(received.receiptHandle())
                .visibilityTimeout(0));

        assertEquals(received.messageId(), receive(url, 600).getFirst().messageId());
    }

    @Test
    void aBatchSendsEachEntryAndReportsTheOneThatFailed() {
        String url = queue("batch", Map.of());

        SendMessageBatchResponse sent = sqs().sendMessageBatch(request -> request.queueUrl(url).entries(
                entry -> entry.id("good").messageBody("one"),
                entry -> entry.id("late").messageBody("two").delaySeconds(901)));

        assertEquals(List.of("good"), sent.successful().stream().map(entry -> entry.id()).toList());
        assertEquals("late", sent.failed().getFirst().id());
        assertEquals("InvalidParameterValue", sent.failed().getFirst().code());
        assertTrue(sent.failed().getFirst().senderFault());
        assertThrows(TooManyEntriesInBatchRequestException.class, () -> sqs().sendMessageBatch(request ->
                request.queueUrl(url).entries(IntStream.range(0, 11).mapToObj(index -> SendMessageBatchRequestEntry
                        .builder().id("e" + index).messageBody("x").build()).toList())));
    }

    @Test
    void attributesCountVisibleInFlightAndDelayedMessages() {
        String url = queue("counted", Map.of());
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("visible"));
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("in flight"));
        receive(url, 600);
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("visible"));
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("delayed").delaySeconds(900));

        Map<QueueAttributeName, String> attributes = sqs().getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.ALL)).attributes();

        assertEquals("1", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        assertEquals("2", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        assertEquals("1", attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
        assertEquals("arn:aws:sqs:us-east-1:123456789012:counted", attributes.get(QueueAttributeName.QUEUE_ARN));
        assertEquals("30", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
    }

    @Test
    void listQueuesFiltersByPrefixAndPages() {
        queue("paged-a", Map.of());
        queue("paged-b", Map.of());
        queue("paged-c", Map.of());

        ListQueuesResponse first = sqs().listQueues(request -> request.queueNamePrefix("paged-").maxResults(2));
        ListQueuesResponse second = sqs().listQueues(request -> request.queueNamePrefix("paged-").maxResults(2)
                .nextToken(first.nextToken()));

        assertEquals(2, first.queueUrls().size());
        assertEquals(List.of(cloud().endpoint() + "/123456789012/paged-c"), second.queueUrls());
        assertNull(second.nextToken());
    }

    @Test
    void aPurgedQueueIsEmptyAndADeletedOneIsGone() {
        String url = queue("purged", Map.of());
        sqs().sendMessage(request -> request.queueUrl(url).messageBody("x"));

        sqs().purgeQueue(request -> request.queueUrl(url));
        assertEquals(List.of(), receive(url, 0));
        sqs().deleteQueue(request -> request.queueUrl(url));

        assertThrows(QueueDoesNotExistException.class,
                () -> sqs().sendMessage(request -> request.queueUrl(url).messageBody("x")));
    }

    @Test
    void theStacksFailureQueueHasTheTemplatesSettings() {
        String url = cloud().stack().queueUrl("TriggeredFailureQueue");

        Map<QueueAttributeName, String> attributes = sqs().getQueueAttributes(request -> request.queueUrl(url)
                .attributeNames(QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                        QueueAttributeName.SQS_MANAGED_SSE_ENABLED)).attributes();

        assertEquals(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600",
                QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true"), attributes);
    }

    /** "Amazon SQS and AWS X-Ray": the X-Amzn-Trace-Id of SendMessage travels with the message as AWSTraceHeader. */
    @Test
    void theTraceHeaderOfTheSendRequestBecomesTheMessagesAwsTraceHeader() {
        String url = queue("traced", Map.of());
        String header = "Root=1-6a4f0c2b-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

        sqs().sendMessage(request -> request.queueUrl(url).messageBody("traced")
                .overrideConfiguration(override -> override.putHeader("X-Amzn-Trace-Id", header)));

        assertEquals(header, receive(url, 30).getFirst().attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER));
    }

    @Test
    void anAwsTraceHeaderTheSenderSetWinsOverTheHttpHeader() {
        String url = queue("traced-twice", Map.of());
        String attribute = "Root=1-6a4f0c2b-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1";

        sqs().sendMessage(request -> request.queueUrl(url).messageBody("traced")
                .messageSystemAttributes(Map.of(MessageSystemAttributeNameForSends.AWS_TRACE_HEADER,
                        MessageSystemAttributeValue.builder().dataType("String").stringValue(attribute).build()))
                .overrideConfiguration(override -> override.putHeader("X-Amzn-Trace-Id",
                        "Root=1-6a4f0c2b-ffffffffffffffffffffffff;Parent=1111111111111111;Sampled=1")));

        assertEquals(attribute, receive(url, 30).getFirst().attributes().get(MessageSystemAttributeName.AWS_TRACE_HEADER));
    }
}
