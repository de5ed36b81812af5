package xrayasync.localcloud.core.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.store.Store;

/**
 * SQS's standard queues: each queue's settings and its messages, kept in the store (queues as {@value #QUEUES}
 * records by name, messages as {@value #MESSAGES} records scoped by their queue and ordered by when they are next
 * visible), with SQS's rules for delays, visibility timeouts, receive counts, retention and redrive to a dead-letter
 * queue. Every change is one store transaction, so two receivers never get the same message and a client told a
 * message was sent finds it after a crash.
 */
public final class SqsService {

    static final String QUEUES = "sqs-queue";
    static final String MESSAGES = "sqs-message";

    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern QUEUE_PATH = Pattern.compile("/(\\d{12})/([^/]+)/?");
    private static final long SECOND = 1000;

    /** A message attribute's value: its data type (String, Number, Binary, or one of them with a custom suffix). */
    public record AttributeValue(String dataType, String stringValue, byte[] binaryValue) {

        boolean isBinary() {
            return dataType.startsWith("Binary");
        }
    }

    /** A queue as kept: its name, the attributes a client set, its tags, and its times (epoch seconds). */
    public record Queue(String name, Map<String, String> settings, Map<String, String> tags, long createdTimestamp,
            long lastModifiedTimestamp) {
    }

    /**
     * What a sender hands SQS.
     *
     * @param traceHeader the request's X-Amzn-Trace-Id, or null: SQS keeps it as the message's AWSTraceHeader unless
     *     the sender set that attribute, which wins ("Amazon SQS and AWS X-Ray": "If both headers are set, the
     *     message system attribute overrides the HTTP trace header")
     */
    public record Outgoing(String body, Integer delaySeconds, Map<String, AttributeValue> attributes,
            Map<String, AttributeValue> systemAttributes, String senderId, String traceHeader) {

        /** The system attributes the message keeps: the sender's, and the trace header when it set none. */
        Map<String, AttributeValue> keptSystemAttributes() {
            Map<String, AttributeValue> kept = new LinkedHashMap<>(copy(systemAttributes));
            if (traceHeader != null && !traceHeader.isBlank() && !kept.containsKey(TRACE_HEADER)) {
                kept.put(TRACE_HEADER, new AttributeValue("String", traceHeader.trim(), null));
            }
            return Map.copyOf(kept);
        }
    }

    /** The system attribute that carries an X-Ray trace header with a message. */
    public static final String TRACE_HEADER = "AWSTraceHeader";

    /**
     * A message as its queue keeps it: what was sent with its digests, and its life in the queue (how often it was
     * received, the receipt handle of the last receive, when it is visible next, epoch milliseconds).
     */
    public record Message(String queue, String messageId, String body, String md5OfBody,
            Map<String, AttributeValue> attributes, String md5OfAttributes,
            Map<String, AttributeValue> systemAttributes, String md5OfSystemAttributes, String senderId, long sentTimestamp, int receiveCount,
            long firstReceiveTimestamp, String receiptHandle, long visibleAt) {

        private Message received(long now, long visibleUntil) {
            return new Message(queue, messageId, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                    md5OfSystemAttributes, senderId, sentTimestamp, receiveCount + 1,
                    receiveCount == 0 ? now : firstReceiveTimestamp, ReceiptHandles.of(messageId), visibleUntil);
        }

        private Message visibleAt(long at) {
            return new Message(queue, messageId, body, md5OfBody, attributes, md5OfAttributes, systemAttributes,
                    md5OfSystemAttributes, senderId, sentTimestamp, receiveCount, firstReceiveTimestamp, receiptHandle,
                    at);
        }

        private Message movedTo(String deadLetterQueue, long now) {
            return new Message(deadLetterQueue, messageId, body, md5OfBody, attributes, md5OfAttributes,
                    systemAttributes, md5OfSystemAttributes, senderId, sentTimestamp, receiveCount,
                    firstReceiveTimestamp, null, now);
        }
    }

    private final Store store;
    private final Records queues;
    private final Records messages;
    private final Clock clock;
    private final String region;
    private final String account;
    private final URI endpoint;
    private final Map<String, Arrivals> arrivals = new ConcurrentHashMap<>();

    /** @param endpoint where the queues' URLs point: the edge clients reach this service on */
    public SqsService(Store store, Clock clock, String region, String account, URI endpoint) {
        this.store = store;
        this.queues = store.records(QUEUES);
        this.messages = store.records(MESSAGES);
        this.clock = clock;
        this.region = region;
        this.account = account;
        this.endpoint = endpoint;
    }

    public String url(String queueName) {
        return endpoint.resolve("/" + account + "/" + queueName).toString();
    }

    public String arn(String queueName) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + queueName;
    }

    /**
     * The queue a URL names, whatever its host: SQS's own form, LocalStack's, or this cloud's edge all end in
     * {@code /<account>/<name>}.
     */
    public String nameOfUrl(String queueUrl) {
        if (queueUrl == null || queueUrl.isBlank()) {
            throw SqsError.MISSING_PARAMETER.with("The request must contain the parameter QueueUrl.");
        }
        Matcher path;
        try {
            URI uri = URI.create(queueUrl.trim());
            path = QUEUE_PATH.matcher(uri.getRawPath() == null ? "" : uri.getRawPath());
        } catch (IllegalArgumentException malformed) {
            throw invalidAddress(queueUrl);
        }
        if (!path.matches()) {
            throw invalidAddress(queueUrl);
        }
        if (!path.group(1).equals(account)) {
            throw doesNotExist();
        }
        return path.group(2);
    }

    private static RuntimeException invalidAddress(String queueUrl) {
        return SqsError.INVALID_ADDRESS.with("The address " + queueUrl + " is not valid for this endpoint: give the"
                + " queue URL that CreateQueue or GetQueueUrl returned, ending in /<account>/<queue name>.");
    }

    /** The queue an ARN names, or empty when the ARN is no SQS queue's of this account and region. */
    public Optional<String> nameOfArn(String queueArn) {
        String prefix = "arn:aws:sqs:" + region + ":" + account + ":";
        return queueArn != null && queueArn.startsWith(prefix)
                ? Optional.of(queueArn.substring(prefix.length())) : Optional.empty();
    }

    /**
     * Creates a queue; one that exists already is returned when the attributes given match its own (CreateQueue is
     * idempotent), and refused when they differ.
     */
    public Queue createQueue(String name, Map<String, String> attributes, Map<String, String> tags) {
        if (name == null || !QUEUE_NAME.matcher(name).matches()) {
            throw SqsError.INVALID_PARAMETER_VALUE.with("Queue name '" + name + "' is not valid: use 1 to 80"
                    + " letters, digits, hyphens or underscores.");
        }
        Map<String, String> settings = QueueSettings.validated(attributes);
        return store.transaction(() -> {
            Optional<Queue> existing = queues.get(name, Queue.class);
            if (existing.isPresent()) {
                Map<String, String> current = QueueSettings.effective(existing.get().settings());
                settings.forEach((attribute, value) -> {
                    if (!value.equals(current.get(attribute))) {
                        throw SqsError.QUEUE_NAME_EXISTS.with("A queue already exists with the same name and a"
                                + " different value for attribute " + attribute + ": use another name, or"
                                + " SetQueueAttributes to change it.");
                    }
                });
                return existing.get();
            }
            long now = clock.instant().getEpochSecond();
            Queue queue = new Queue(name, settings, tags == null ? Map.of() : Map.copyOf(tags), now, now);
            queues.put(name, queue);
            return queue;
        });
    }

    /**
     * Makes the queue hold exactly the settings given (CloudFormation's update of a declared queue), creating it when
     * new; its messages stay.
     */
    public Queue declareQueue(String name, Map<String, String> attributes) {
        Map<String, String> settings = QueueSettings.validated(attributes);
        return store.transaction(() -> {
            Optional<Queue> existing = queues.get(name, Queue.class);
            if (existing.isEmpty()) {
                return createQueue(name, settings, Map.of());
            }
            Queue queue = new Queue(name, settings, existing.get().tags(), existing.get().createdTimestamp(),
                    clock.instant().getEpochSecond());
            queues.put(name, queue);
            return queue;
        });
    }

    public boolean exists(String name) {
        return queues.get(name, Queue.class).isPresent();
    }

    public Queue queue(String name) {
        return queues.get(name, Queue.class).orElseThrow(SqsService::doesNotExist);
    }

    private static RuntimeException doesNotExist() {
        return SqsError.QUEUE_DOES_NOT_EXIST.with("The specified queue does not exist: create it first, or check its"
                + " name and URL (ListQueues lists the queues there are).");
    }

    /** The queues' names in name order, those with the prefix only when one is given. */
    public List<String> queueNames(String prefix) {
        return queues.all(Queue.class).stream().map(Records.Entry::key)
                .filter(name -> prefix == null || name.startsWith(prefix)).toList();
    }

    /** The attributes asked for (All for every one), read-only ones computed now. */
    public Map<String, String> attributes(String name, List<String> asked) {
        Queue queue = queue(name);
        if (asked == null || asked.isEmpty()) {
            return Map.of();
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put(QueueAttributeName.QUEUE_ARN.toString(), arn(name));
        long now = clock.millis();
        long visible = 0;
        long inFlight = 0;
        long delayed = 0;
        for (Message message : live(queue, now)) {
            if (message.visibleAt() <= now) {
                visible++;
            } else if (message.receiveCount() > 0) {
                inFlight++;
            } else {
                delayed++;
            }
        }
        all.put(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES.toString(), Long.toString(visible));
        all.put(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE.toString(), Long.toString(inFlight));
        all.put(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED.toString(), Long.toString(delayed));
        all.put(QueueAttributeName.CREATED_TIMESTAMP.toString(), Long.toString(queue.createdTimestamp()));
        all.put(QueueAttributeName.LAST_MODIFIED_TIMESTAMP.toString(), Long.toString(queue.lastModifiedTimestamp()));
        all.putAll(QueueSettings.effective(queue.settings()));
        if (asked.contains(QueueAttributeName.ALL.toString())) {
            return all;
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String attribute : asked) {
            if (QueueAttributeName.fromValue(attribute) == QueueAttributeName.UNKNOWN_TO_SDK_VERSION) {
                throw SqsError.INVALID_ATTRIBUTE_NAME.with("Unknown Attribute " + attribute + ": ask for All, or for"
                        + " attributes GetQueueAttributes lists.");
            }
            Optional.ofNullable(all.get(attribute)).ifPresent(value -> chosen.put(attribute, value));
        }
        return chosen;
    }

    /** Changes the attributes given; the others keep their values. */
    public void setAttributes(String name, Map<String, String> attributes) {
        Map<String, String> changes = QueueSettings.validated(attributes);
        store.transaction(() -> {
            Queue queue = queue(name);
            Map<String, String> settings = new LinkedHashMap<>(queue.settings());
            // SQS removes a redrive policy (and other policies) that is set to the empty string.
            changes.forEach((attribute, value) -> {
                if (value.isEmpty()) {
                    settings.remove(attribute);
                } else {
                    settings.put(attribute, value);
                }
            });
            queues.put(name, new Queue(name, settings, queue.tags(), queue.createdTimestamp(),
                    clock.instant().getEpochSecond()));
            return null;
        });
    }

    public void tag(String name, Map<String, String> tags, List<String> removed) {
        store.transaction(() -> {
            Queue queue = queue(name);
            Map<String, String> kept = new LinkedHashMap<>(queue.tags());
            kept.putAll(tags);
            removed.forEach(kept::remove);
            queues.put(name, new Queue(name, queue.settings(), kept, queue.createdTimestamp(),
                    queue.lastModifiedTimestamp()));
            return null;
        });
    }

    /** Deletes the queue and every message in it. */
    public void deleteQueue(String name) {
        store.transaction(() -> {
            queue(name);
            queues.delete(name);
            messages.deleteScope(name);
            return null;
        });
        arrivalsOf(name).announce();
    }

    /** Deletes every message in the queue. */
    public void purge(String name) {
        store.transaction(() -> {
            queue(name);
            return messages.deleteScope(name);
        });
    }

    /** Puts a message in the queue; it is durable when this returns. */
    public Message send(String name, Outgoing outgoing) {
        Message message = store.transaction(() -> {
            Queue queue = queue(name);
            Map<String, String> settings = QueueSettings.effective(queue.settings());
            MessageRules.checkOutgoing(outgoing, Integer.parseInt(settings.get(QueueSettings.MAXIMUM_MESSAGE_SIZE)));
            long now = clock.millis();
            int delay = outgoing.delaySeconds() != null ? outgoing.delaySeconds()
                    : Integer.parseInt(settings.get(QueueSettings.DELAY_SECONDS));
            Message sent = new Message(name, UUID.randomUUID().toString(), outgoing.body(),
                    MessageChecksums.ofBody(outgoing.body()), copy(outgoing.attributes()),
                    MessageChecksums.ofAttributes(outgoing.attributes()), outgoing.keptSystemAttributes(),
                    // The digest is of what the sender sent, which is what its SDK checks.
                    MessageChecksums.ofAttributes(outgoing.systemAttributes()), outgoing.senderId(), now, 0, 0, null,
                    now + delay * SECOND);
            messages.put(sent.messageId(), name, sent.visibleAt(), sent);
            return sent;
        });
        arrivalsOf(name).announce();
        return message;
    }

    private static Map<String, AttributeValue> copy(Map<String, AttributeValue> attributes) {
        return attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /**
     * Receives up to the given number of visible messages, each invisible for the visibility timeout and with a new
     * receipt handle; with none visible, waits up to the wait time for one (long polling), woken by a send rather
     * than polling the store.
     *
     * @param visibilityTimeout seconds, or null for the queue's
     * @param waitSeconds seconds, or null for the queue's ReceiveMessageWaitTimeSeconds
     */
    public List<Message> receive(String name, int maximum, Integer visibilityTimeout, Integer waitSeconds)
            throws InterruptedException {
        Map<String, String> settings = QueueSettings.effective(queue(name).settings());
        MessageRules.checkMaximum(maximum);
        int hidden = visibilityTimeout != null ? MessageRules.visibilityTimeout(visibilityTimeout)
                : Integer.parseInt(settings.get(QueueSettings.VISIBILITY_TIMEOUT));
        int wait = waitSeconds != null ? MessageRules.waitTime(waitSeconds)
                : Integer.parseInt(settings.get(QueueSettings.RECEIVE_MESSAGE_WAIT_TIME_SECONDS));
        long deadline = clock.millis() + wait * SECOND;
        Arrivals signal = arrivalsOf(name);
        while (true) {
            long seen = signal.version();
            Taken taken = store.transaction(() -> take(name, maximum, hidden));
            taken.deadLettered().forEach(queue -> arrivalsOf(queue).announce());
            long now = clock.millis();
            if (!taken.messages().isEmpty() || now >= deadline) {
                return taken.messages();
            }
            signal.await(seen, Math.min(deadline, taken.nextVisibleAt()) - now);
        }
    }

    private record Taken(List<Message> messages, long nextVisibleAt, List<String> deadLettered) {
    }

    /** One receive, inside a transaction: expired messages dropped, over-received ones moved to the dead letters. */
    private Taken take(String name, int maximum, int hidden) {
        Queue queue = queue(name);
        long now = clock.millis();
        Optional<Redrive> redrive = Redrive.of(queue.settings().get(QueueSettings.REDRIVE_POLICY), this);
        List<Message> taken = new ArrayList<>();
        List<String> deadLettered = new ArrayList<>();
        long retention = retentionMillis(queue);
        List<Records.Entry<Message>> visible = new ArrayList<>();
        messages.forEachInScope(name, Long.MIN_VALUE, now + 1, Message.class, entry -> {
            visible.add(entry);
            return true;
        });
        for (Records.Entry<Message> entry : visible) {
            Message message = entry.value();
            if (message.sentTimestamp() + retention <= now) {
                messages.delete(message.messageId());
            } else if (redrive.isPresent() && message.receiveCount() >= redrive.get().maxReceiveCount()
                    && queues.get(redrive.get().queue(), Queue.class).isPresent()) {
                Message moved = message.movedTo(redrive.get().queue(), now);
                messages.put(moved.messageId(), moved.queue(), moved.visibleAt(), moved);
                deadLettered.add(moved.queue());
            } else if (taken.size() < maximum) {
                Message received = message.received(now, now + hidden * SECOND);
                messages.put(received.messageId(), name, received.visibleAt(), received);
                taken.add(received);
            }
        }
        long next = messages.inScope(name, now + 1, Long.MAX_VALUE, 1, Message.class).stream()
                .map(Records.Entry::at).findFirst().orElse(Long.MAX_VALUE);
        return new Taken(taken, next, deadLettered);
    }

    private static long retentionMillis(Queue queue) {
        return Long.parseLong(QueueSettings.effective(queue.settings()).get(QueueSettings.MESSAGE_RETENTION_PERIOD))
                * SECOND;
    }

    /**
     * Deletes the message a receipt handle came with. As SQS documents for DeleteMessage, a handle of an earlier
     * receive succeeds without deleting, and a message already deleted is no error.
     */
    public void delete(String name, String receiptHandle) {
        String messageId = ReceiptHandles.messageId(receiptHandle);
        store.transaction(() -> {
            queue(name);
            messages.get(messageId, Message.class)
                    .filter(message -> message.queue().equals(name) && receiptHandle.equals(message.receiptHandle()))
                    .ifPresent(message -> messages.delete(messageId));
            return null;
        });
    }

    /** Makes a received message visible again after the given seconds from now (0: at once). */
    public void changeVisibility(String name, String receiptHandle, int visibilityTimeout) {
        String messageId = ReceiptHandles.messageId(receiptHandle);
        int seconds = MessageRules.visibilityTimeout(visibilityTimeout);
        store.transaction(() -> {
            queue(name);
            long now = clock.millis();
            Message message = messages.get(messageId, Message.class).filter(found -> found.queue().equals(name))
                    .orElseThrow(() -> SqsError.INVALID_PARAMETER_VALUE.with("Value " + receiptHandle + " for"
                            + " parameter ReceiptHandle is invalid: the message does not exist or is not available"
                            + " for a visibility timeout change; receive it again."));
            if (message.visibleAt() <= now || !receiptHandle.equals(message.receiptHandle())) {
                throw SqsError.MESSAGE_NOT_INFLIGHT.with("The message referred to is not in flight: receive it"
                        + " again and use the receipt handle of that receive.");
            }
            Message changed = message.visibleAt(now + seconds * SECOND);
            messages.put(messageId, name, changed.visibleAt(), changed);
            return null;
        });
        arrivalsOf(name).announce();
    }

    /** The messages a queue holds, oldest first, without receiving them (nothing about them changes). */
    public List<Message> messages(String name) {
        Queue queue = queue(name);
        return live(queue, clock.millis()).stream().sorted(Comparator.comparingLong(Message::sentTimestamp)
                .thenComparing(Message::messageId)).toList();
    }

    private List<Message> live(Queue queue, long now) {
        long retention = retentionMillis(queue);
        return messages.inScope(queue.name(), Message.class).stream().map(Records.Entry::value)
                .filter(message -> message.sentTimestamp() + retention > now).toList();
    }

    private Arrivals arrivalsOf(String name) {
        return arrivals.computeIfAbsent(name, queue -> new Arrivals());
    }

    /** A queue's redrive policy: where messages received too often go. */
    private record Redrive(String queue, int maxReceiveCount) {

        static Optional<Redrive> of(String policy, SqsService sqs) {
            if (policy == null || policy.isEmpty()) {
                return Optional.empty();
            }
            JsonNode parsed = QueueSettings.redrivePolicy(policy);
            return sqs.nameOfArn(parsed.path("deadLetterTargetArn").asText())
                    .map(queue -> new Redrive(queue, parsed.path("maxReceiveCount").asInt()));
        }
    }

    /** Wakes long-polling receivers of one queue when something may have become visible. */
    private static final class Arrivals {

        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private long version;

        long version() {
            lock.lock();
            try {
                return version;
            } finally {
                lock.unlock();
            }
        }

        void announce() {
            lock.lock();
            try {
                version++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits until an announcement after the version seen, or for the time; a virtual thread parks meanwhile. */
        void await(long seen, long millis) throws InterruptedException {
            lock.lock();
            try {
                long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
                while (version == seen && nanos > 0) {
                    nanos = changed.awaitNanos(nanos);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Receipt handles: the message's id and a new nonce per receive, opaque to clients. */
    private static final class ReceiptHandles {

        private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

        private ReceiptHandles() {
        }

        static String of(String messageId) {
            return ENCODER.encodeToString((messageId + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        }

        static String messageId(String receiptHandle) {
            if (receiptHandle == null || receiptHandle.isEmpty()) {
                throw SqsError.MISSING_PARAMETER.with("The request must contain the parameter ReceiptHandle.");
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(receiptHandle), StandardCharsets.UTF_8);
                int space = decoded.indexOf(' ');
                if (space == 36) {
                    return decoded.substring(0, space);
                }
            } catch (IllegalArgumentException notBase64) {
                // Answered below, as any handle SQS did not give.
            }
            throw SqsError.RECEIPT_HANDLE_IS_INVALID.with("The input receipt handle \"" + receiptHandle + "\" is not"
                    + " a valid receipt handle: use the ReceiptHandle a ReceiveMessage answer gave.");
        }
    }
}
