package xrayasync.localcloud.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import xrayasync.localcloud.core.LocalCloud;

/**
 * SQS's query protocol, as older SDKs and CLIs send it (no installed client does): form bodies with
 * {@code Action=…&Version=2012-11-05} and SQS's flattened names, signed for {@code sqs}, sent over plain HTTP, and
 * the XML answers and errors SQS gives.
 */
class SqsQueryProtocolTest {

    private static final String NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

    @RegisterExtension
    static final SharedCloud CLOUD = new SharedCloud(Map.of());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer: its status and its XML document's root. */
    private record Answer(int status, Element root) {

        String first(String element) {
            return root.getElementsByTagName(element).item(0).getTextContent();
        }

        List<String> all(String element) {
            NodeList found = root.getElementsByTagName(element);
            List<String> texts = new ArrayList<>();
            for (int index = 0; index < found.getLength(); index++) {
                texts.add(found.item(index).getTextContent());
            }
            return texts;
        }

        /** The Name/Value pairs of the repeated element (Attribute, MessageAttribute). */
        Map<String, String> pairs(String element) {
            NodeList found = root.getElementsByTagName(element);
            Map<String, String> pairs = new LinkedHashMap<>();
            for (int index = 0; index < found.getLength(); index++) {
                Element pair = (Element) found.item(index);
                pairs.put(pair.getElementsByTagName("Name").item(0).getTextContent(),
                        pair.getElementsByTagName("Value").item(0).getTextContent());
            }
            return pairs;
        }
    }

    /** POSTs the form to the path, signed (in shape) for SQS, as the query protocol's clients send it. */
    private static Answer post(String path, String... form) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int index = 0; index < form.length; index += 2) {
            body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(form[index], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(form[index + 1], StandardCharsets.UTF_8));
        }
        body.append("&Version=2012-11-05");
        HttpRequest request = HttpRequest.newBuilder(CLOUD.fixture().cloud.endpoint().resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + LocalCloud.ACCESS_KEY
                        + "/20261129/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return new Answer(response.statusCode(), factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(response.body())).getDocumentElement());
    }

    private static String createQueue(String name) throws Exception {
        return post("/", "Action", "CreateQueue", "QueueName", name, "Attribute.1.Name", "VisibilityTimeout",
                "Attribute.1.Value", "60").first("QueueUrl");
    }

    @Test
    void sendMessageAnswersInSqsNamespaceWithTheDigestsAndARequestId() throws Exception {
        String url = createQueue("query-sent");

        Answer sent = post("/", "Action", "SendMessage", "QueueUrl", url, "MessageBody", "over query",
                "MessageAttribute.1.Name", "kind", "MessageAttribute.1.Value.DataType", "String",
                "MessageAttribute.1.Value.StringValue", "query");

        assertEquals(200, sent.status());
        assertEquals("SendMessageResponse", sent.root().getLocalName());
        assertEquals(NAMESPACE, sent.root().getNamespaceURI());
        assertEquals("0a0478b96c0fb9f8f1e06f988ebaefe9", sent.first("MD5OfMessageBody"));
        assertEquals(1, sent.all("MD5OfMessageAttributes").size());
        assertFalse(sent.first("RequestId").isEmpty());
    }

    @Test
    void receiveMessageGivesFlattenedAttributesAndMessageAttributes() throws Exception {
        String url = createQueue("query-received");
        post("/", "Action", "SendMessage", "QueueUrl", url, "MessageBody", "attributed",
                "MessageAttribute.1.Name", "kind", "MessageAttribute.1.Value.DataType", "String",
                "MessageAttribute.1.Value.StringValue", "query");

        Answer received = post("/", "Action", "ReceiveMessage", "QueueUrl", url, "AttributeName.1", "All",
                "MessageAttributeName.1", "All", "MaxNumberOfMessages", "10");

        assertEquals("attributed", received.first("Body"));
        assertEquals("1", received.pairs("Attribute").get("ApproximateReceiveCount"));
        assertEquals(List.of("kind"), List.copyOf(received.pairs("MessageAttribute").keySet()));
        assertEquals("query", received.first("StringValue"));
        assertEquals(1, received.all("Message").size());
    }

    @Test
    void aBatchAnswersEachEntryUnderSqsEntryNames() throws Exception {
        String url = createQueue("query-batch");

        Answer batch = post("/", "Action", "SendMessageBatch", "QueueUrl", url,
                "SendMessageBatchRequestEntry.1.Id", "one", "SendMessageBatchRequestEntry.1.MessageBody", "first",
                "SendMessageBatchRequestEntry.2.Id", "two", "SendMessageBatchRequestEntry.2.MessageBody", "second",
                "SendMessageBatchRequestEntry.2.DelaySeconds", "901");

        assertEquals(1, batch.all("SendMessageBatchResultEntry").size());
        assertEquals(1, batch.all("BatchResultErrorEntry").size());
        assertEquals("InvalidParameterValue", batch.first("Code"));
    }

    @Test
    void queueAttributesAndQueueUrlsAreFlattened() throws Exception {
        String url = createQueue("query-listed");

        Answer attributes = post("/", "Action", "GetQueueAttributes", "QueueUrl", url, "AttributeName.1",
                "VisibilityTimeout", "AttributeName.2", "QueueArn");
        Answer listed = post("/", "Action", "ListQueues", "QueueNamePrefix", "query-listed");

        assertEquals(Map.of("VisibilityTimeout", "60", "QueueArn", "arn:aws:sqs:us-east-1:123456789012:query-listed"),
                attributes.pairs("Attribute"));
        assertEquals(List.of(url), listed.all("QueueUrl"));
    }

    @Test
    void aRequestSentToTheQueueUrlNamesItsQueueByThePath() throws Exception {
        String url = createQueue("query-by-path");

        post(URI.create(url).getPath(), "Action", "SendMessage", "MessageBody", "by path");

        assertEquals("by path", post(URI.create(url).getPath(), "Action", "ReceiveMessage").first("Body"));
    }

    @Test
    void aMissingQueueIsAnErrorResponseWithSqsQueryCode() throws Exception {
        Answer missing = post("/", "Action", "GetQueueUrl", "QueueName", "never-made");

        assertEquals(400, missing.status());
        assertEquals("ErrorResponse", missing.root().getLocalName());
        assertEquals("Sender", missing.first("Type"));
        assertEquals("AWS.SimpleQueueService.NonExistentQueue", missing.first("Code"));
    }
}
