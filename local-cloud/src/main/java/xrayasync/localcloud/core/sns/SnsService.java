package xrayasync.localcloud.core.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.lambda.CloudLog;
import xrayasync.localcloud.core.lambda.InvocationTarget;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.sqs.SqsService;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;
import xrayasync.localcloud.core.xray.ResourcePolicies;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.TraceStore;
import xrayasync.localcloud.core.xray.XRayIds;

/**
 * SNS's standard topics and their Lambda and SQS subscriptions, kept in the store ({@value #TOPICS} records by
 * ARN, {@value #SUBSCRIPTIONS} records scoped by their topic). Publish hands the message to every subscription before
 * it answers: a Lambda endpoint gets an asynchronous invoke (Lambda's queue keeps it from then on, as SNS invokes
 * Lambda asynchronously), an SQS endpoint a message, so what Publish acknowledged is durable.
 *
 * <p>Trace: "If you publish to an Amazon SNS topic from a service that's already instrumented with X-Ray, Amazon SNS
 * passes the trace context from publisher to subscribers"; a topic whose TracingConfig is Active "vends X-Ray segment
 * data ... if the sampled flag in the tracing header is true" (X-Ray guide, "Amazon SNS and AWS X-Ray"; the TracingConfig
 * values as the SNS API reference and CDK describe them), when an X-Ray resource policy lets sns.amazonaws.com put
 * segments (the same page's permissions section). No AWS source shows that segment's document: here it is
 * named after the topic, with origin {@code AWS::SNS::Topic} and the topic's ARN, under the publisher's Publish
 * subsegment, and the subscribers continue under it (docs/async-hops.md says so).
 */
public final class SnsService {

    /** The service principal SNS invokes Lambda as. */
    public static final String PRINCIPAL = "sns.amazonaws.com";
    static final String TOPICS = "sns-topic";
    static final String SUBSCRIPTIONS = "sns-subscription";
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** TracingConfig's values (SNS API reference, SetTopicAttributes). */
    static final String ACTIVE = "Active";
    static final String PASS_THROUGH = "PassThrough";

    /** A topic as kept: its name and the attributes a client set. */
    public record Topic(String arn, String name, Map<String, String> attributes) {

        boolean activeTracing() {
            return ACTIVE.equals(attributes.get("TracingConfig"));
        }
    }

    /** A subscription as kept: lambda (endpoint a function ARN) or sqs (endpoint a queue ARN). */
    public record Subscription(String arn, String topicArn, String protocol, String endpoint,
            Map<String, String> attributes) {

        boolean raw() {
            return "true".equalsIgnoreCase(attributes.get("RawMessageDelivery"));
        }
    }

    /** A message attribute as Publish takes it: its data type and its string or binary value. */
    public record MessageAttribute(String dataType, String stringValue, byte[] binaryValue) {
    }

    private final Store store;
    private final Records topics;
    private final Records subscriptions;
    private final LambdaService lambda;
    private final SqsService sqs;
    private final CloudLog log;
    private final TraceStore traces;
    private final ResourcePolicies policies;
    private final XRayIds ids;
    private final Clock clock;
    private final String region;
    private final String account;

    /** @param log where a delivery SNS could not make is told */
    /** @param policies the X-Ray resource policies that must let SNS write its segment */
    public SnsService(Store store, LambdaService lambda, SqsService sqs, CloudLog log, TraceStore traces,
            ResourcePolicies policies, XRayIds ids, Clock clock, String region, String account) {
        this.store = store;
        this.topics = store.records(TOPICS);
        this.subscriptions = store.records(SUBSCRIPTIONS);
        this.lambda = lambda;
        this.sqs = sqs;
        this.log = log;
        this.traces = traces;
        this.policies = policies;
        this.ids = ids;
        this.clock = clock;
        this.region = region;
        this.account = account;
    }

    public String topicArn(String name) {
        return "arn:aws:sns:" + region + ":" + account + ":" + name;
    }

    /** Creates a topic; one that exists already is returned (CreateTopic is idempotent). */
    public Topic createTopic(String name, Map<String, String> attributes) {
        if (name == null || !TOPIC_NAME.matcher(name).matches()) {
            throw invalid("Topic name '" + name + "' is not valid: use 1 to 256 letters, digits, hyphens or"
                    + " underscores (FIFO topics, ending in .fifo, are not emulated).");
        }
        Map<String, String> settings = checked(attributes);
        return store.transaction(() -> {
            Optional<Topic> existing = topics.get(topicArn(name), Topic.class);
            if (existing.isPresent()) {
                return existing.get();
            }
            Topic topic = new Topic(topicArn(name), name, settings);
            topics.put(topic.arn(), topic);
            return topic;
        });
    }

    /** Makes the topic hold exactly these attributes (CloudFormation's update), creating it when new. */
    public Topic declareTopic(String name, Map<String, String> attributes) {
        Map<String, String> settings = checked(attributes);
        return store.transaction(() -> {
            Topic topic = new Topic(topicArn(name), name, settings);
            topics.put(topic.arn(), topic);
            return topic;
        });
    }

    private static Map<String, String> checked(Map<String, String> attributes) {
        Map<String, String> settings = new LinkedHashMap<>(attributes == null ? Map.of() : attributes);
        String tracing = settings.get("TracingConfig");
        if (tracing != null && !tracing.equals(ACTIVE) && !tracing.equals(PASS_THROUGH)) {
            throw invalid("Invalid parameter: Attributes Reason: TracingConfig is '" + tracing + "': give Active or"
                    + " PassThrough.");
        }
        if (settings.containsKey("FifoTopic") && "true".equalsIgnoreCase(settings.get("FifoTopic"))) {
            throw invalid("FIFO topics are not emulated by the local cloud: use a standard topic, or deploy to AWS.");
        }
        return Map.copyOf(settings);
    }

    public Topic topic(String arn) {
        return topics.get(arn, Topic.class).orElseThrow(() -> new ServiceException(404, "NotFound",
                "Topic does not exist: " + arn + " (ListTopics lists the topics there are)."));
    }

    public boolean exists(String arn) {
        return topics.get(arn, Topic.class).isPresent();
    }

    public List<Topic> topics() {
        return topics.all(Topic.class).stream().map(Records.Entry::value).toList();
    }

    public void setTopicAttribute(String arn, String name, String value) {
        store.transaction(() -> {
            Topic topic = topic(arn);
            Map<String, String> attributes = new LinkedHashMap<>(topic.attributes());
            attributes.put(name, value);
            topics.put(arn, new Topic(arn, topic.name(), checked(attributes)));
            return null;
        });
    }

    /** Deletes the topic and its subscriptions; one already gone is no error, as SNS answers. */
    public void deleteTopic(String arn) {
        store.transaction(() -> {
            topics.delete(arn);
            subscriptions.deleteScope(arn);
            return null;
        });
    }

    /** Subscribes an endpoint; subscribing it again with the same protocol returns the same subscription. */
    public Subscription subscribe(String topicArn, String protocol, String endpoint, Map<String, String> attributes) {
        if (!"lambda".equals(protocol) && !"sqs".equals(protocol)) {
            throw invalid("Invalid parameter: Protocol '" + protocol + "' is not emulated by the local cloud: it"
                    + " delivers to lambda and sqs subscriptions.");
        }
        if (endpoint == null || endpoint.isBlank()) {
            throw invalid("Invalid parameter: Endpoint is missing: give the function's or queue's ARN.");
        }
        if ("sqs".equals(protocol) && sqs.nameOfArn(endpoint).isEmpty()) {
            throw invalid("Invalid parameter: SQS endpoint ARN " + endpoint + " is no queue of this account and"
                    + " region.");
        }
        return store.transaction(() -> {
            topic(topicArn);
            Optional<Subscription> existing = subscriptions(topicArn).stream()
                    .filter(found -> found.protocol().equals(protocol) && found.endpoint().equals(endpoint)).findFirst();
            if (existing.isPresent()) {
                return existing.get();
            }
            Subscription subscription = new Subscription(topicArn + ":" + UUID.randomUUID(), topicArn, protocol,
                    endpoint, Map.copyOf(attributes == null ? Map.of() : attributes));
            subscriptions.put(subscription.arn(), topicArn, 0, subscription);
            return subscription;
        });
    }

    public void unsubscribe(String subscriptionArn) {
        subscriptions.delete(subscriptionArn);
    }

    public List<Subscription> subscriptions(String topicArn) {
        return subscriptions.inScope(topicArn, Subscription.class).stream().map(Records.Entry::value).toList();
    }

    public List<Subscription> subscriptions() {
        return subscriptions.all(Subscription.class).stream().map(Records.Entry::value).toList();
    }

    /**
     * Publishes a message: every subscription has it (or Lambda's queue does) when this returns.
     *
     * @param traceHeader the Publish request's X-Amzn-Trace-Id, or null
     * @return the message id
     */
    public String publish(String topicArn, String message, String subject, Map<String, MessageAttribute> attributes,
            String traceHeader) {
        if (message == null || message.isEmpty()) {
            throw invalid("Invalid parameter: Empty message: give the message to publish.");
        }
        if (message.getBytes(StandardCharsets.UTF_8).length > 256 * 1024) {
            throw invalid("Invalid parameter: Message too long: SNS takes up to 262,144 bytes; publish a reference"
                    + " to the data (an S3 key, for instance) instead.");
        }
        Topic topic = topic(topicArn);
        Instant received = clock.instant();
        String messageId = UUID.randomUUID().toString();
        TraceHeader incoming = TraceHeader.parse(traceHeader);
        boolean sampled = topic.activeTracing() && incoming.root() != null
                && incoming.sampling() == TraceHeader.Sampling.SAMPLED;
        boolean segment = sampled && policies.allows(PRINCIPAL, "xray:PutTraceSegments", topic.arn());
        if (sampled && !segment) {
            log.write(topic.name(), "SNS could not send its segment for message " + messageId + " to X-Ray: no X-Ray"
                    + " resource policy allows " + PRINCIPAL + " xray:PutTraceSegments for " + topic.arn() + ". The"
                    + " trace header still goes on to the subscribers. Add an AWS::XRay::ResourcePolicy.");
        }
        String segmentId = segment ? ids.newSegmentId() : null;
        TraceHeader downstream = segment
                ? new TraceHeader(incoming.root(), segmentId, incoming.sampling(), incoming.otherFields())
                : incoming;
        for (Subscription subscription : subscriptions(topicArn)) {
            deliver(topic, subscription, messageId, message, subject, attributes, received, downstream);
        }
        if (segment) {
            traces.put(topicSegment(topic, segmentId, incoming, received, clock.instant(), messageId));
        }
        return messageId;
    }

    private void deliver(Topic topic, Subscription subscription, String messageId, String message, String subject,
            Map<String, MessageAttribute> attributes, Instant received, TraceHeader trace) {
        if (subscription.protocol().equals("lambda")) {
            try {
                InvocationTarget invoked = lambda.resolveForService(subscription.endpoint(), PRINCIPAL, topic.arn());
                lambda.enqueue(invoked, json(lambdaEvent(topic, subscription, messageId, message, subject,
                        attributes, received)), trace);
            } catch (ServiceException refused) {
                // SNS accepts the message for its other subscribers; this one's delivery fails, and says so.
                log.write(subscription.endpoint(), "SNS could not deliver message " + messageId + " of " + topic.arn()
                        + " to " + subscription.endpoint() + ": " + refused.getMessage() + (refused.status() == 404
                                ? " Subscribe an existing function, or remove the subscription " + subscription.arn()
                                        + "." : ""));
            }
            return;
        }
        String queue = sqs.nameOfArn(subscription.endpoint()).orElseThrow();
        Map<String, SqsService.AttributeValue> carried = new LinkedHashMap<>();
        if (subscription.raw()) {
            attributes.forEach((name, value) -> carried.put(name, new SqsService.AttributeValue(value.dataType(),
                    value.stringValue(), value.binaryValue())));
        }
        String body = subscription.raw() ? message
                : new String(json(envelope(topic, subscription, messageId, message, subject, attributes, received)),
                        StandardCharsets.UTF_8);
        sqs.send(queue, new SqsService.Outgoing(body, null, carried, Map.of(), account,
                trace.root() == null ? null : trace.toString()));
    }

    /** What SNS delivers to Lambda (Lambda developer guide, "Using Lambda with Amazon SNS", sample event). */
    private ObjectNode lambdaEvent(Topic topic, Subscription subscription, String messageId, String message,
            String subject, Map<String, MessageAttribute> attributes, Instant received) {
        ObjectNode event = JSON.createObjectNode();
        ObjectNode record = event.putArray("Records").addObject();
        record.put("EventSource", "aws:sns");
        record.put("EventVersion", "1.0");
        record.put("EventSubscriptionArn", subscription.arn());
        ObjectNode sns = record.putObject("Sns");
        sns.put("Type", "Notification");
        sns.put("MessageId", messageId);
        sns.put("TopicArn", topic.arn());
        sns.put("Subject", subject);
        sns.put("Message", message);
        sns.put("Timestamp", received.truncatedTo(ChronoUnit.MILLIS).toString());
        signature(sns, subscription, "SigningCertUrl", "UnsubscribeUrl");
        sns.set("MessageAttributes", attributeValues(attributes));
        return event;
    }

    /** What an SQS subscriber receives without raw delivery: the notification as JSON (SNS developer guide). */
    private ObjectNode envelope(Topic topic, Subscription subscription, String messageId, String message,
            String subject, Map<String, MessageAttribute> attributes, Instant received) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("Type", "Notification");
        envelope.put("MessageId", messageId);
        envelope.put("TopicArn", topic.arn());
        if (subject != null) {
            envelope.put("Subject", subject);
        }
        envelope.put("Message", message);
        envelope.put("Timestamp", received.truncatedTo(ChronoUnit.MILLIS).toString());
        signature(envelope, subscription, "SigningCertURL", "UnsubscribeURL");
        if (!attributes.isEmpty()) {
            envelope.set("MessageAttributes", attributeValues(attributes));
        }
        return envelope;
    }

    // The local cloud holds no SNS signing key: the fields are there, in their shape, and say they are unsigned.
    private void signature(ObjectNode notification, Subscription subscription, String certField,
            String unsubscribeField) {
        notification.put("SignatureVersion", "1");
        notification.put("Signature", "");
        notification.put(certField, "");
        notification.put(unsubscribeField, "https://sns." + region + ".amazonaws.com/?Action=Unsubscribe"
                + "&SubscriptionArn=" + subscription.arn());
    }

    private static ObjectNode attributeValues(Map<String, MessageAttribute> attributes) {
        ObjectNode values = JSON.createObjectNode();
        attributes.forEach((name, value) -> values.putObject(name).put("Type", value.dataType())
                .put("Value", value.stringValue() != null ? value.stringValue()
                        : Base64.getEncoder().encodeToString(value.binaryValue())));
        return values;
    }

    private ObjectNode topicSegment(Topic topic, String segmentId, TraceHeader incoming, Instant start, Instant end,
            String messageId) {
        ObjectNode segment = JSON.createObjectNode();
        segment.put("id", segmentId);
        segment.put("name", topic.name());
        segment.put("start_time", seconds(start));
        segment.put("end_time", seconds(end));
        segment.put("trace_id", incoming.root());
        if (incoming.parent() != null) {
            segment.put("parent_id", incoming.parent());
        }
        segment.put("origin", "AWS::SNS::Topic");
        segment.put("resource_arn", topic.arn());
        segment.putObject("aws").put("operation", "Publish").put("message_id", messageId);
        segment.putObject("http").putObject("response").put("status", 200);
        return segment;
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(400, "InvalidParameter", message);
    }
}
