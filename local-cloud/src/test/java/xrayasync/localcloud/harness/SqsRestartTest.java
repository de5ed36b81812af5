package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** A queue and its messages outlive the cloud: what SQS said it took is there when the cloud starts again. */
class SqsRestartTest {

    @TempDir
    Path work;

    @Test
    void aSentMessageIsReceivedAfterTheCloudStartsAgainOnTheSameWorkFolder() throws Exception {
        String messageId;
        try (LocalCloudFixture first = new LocalCloudFixture(work, Map.of());
                EdgeClients clients = new EdgeClients(first.cloud.endpoint(), Duration.ofSeconds(30))) {
            String url = clients.sqs.createQueue(request -> request.queueName("kept")
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "5"))).queueUrl();
            messageId = clients.sqs.sendMessage(request -> request.queueUrl(url).messageBody("still here"))
                    .messageId();
        }

        try (LocalCloudFixture second = new LocalCloudFixture(work, Map.of());
                EdgeClients clients = new EdgeClients(second.cloud.endpoint(), Duration.ofSeconds(30))) {
            String url = clients.sqs.getQueueUrl(request -> request.queueName("kept")).queueUrl();
            List<Message> received = clients.sqs.receiveMessage(request -> request.queueUrl(url)).messages();

            assertEquals(messageId, received.getFirst().messageId());
            assertEquals("still here", received.getFirst().body());
            assertEquals("5", clients.sqs.getQueueAttributes(request -> request.queueUrl(url)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                    .get(QueueAttributeName.VISIBILITY_TIMEOUT));
        }
    }
}
