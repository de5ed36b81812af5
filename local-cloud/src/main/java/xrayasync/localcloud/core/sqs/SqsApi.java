package xrayasync.localcloud.core.sqs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityResponse;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.CreateQueueResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.DeleteQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteQueueResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.ListQueueTagsRequest;
import software.amazon.awssdk.services.sqs.model.ListQueueTagsResponse;
import software.amazon.awssdk.services.sqs.model.ListQueuesRequest;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeValue;
import software.amazon.awssdk.services.sqs.model.PurgeQueueRequest;
import software.amazon.awssdk.services.sqs.model.PurgeQueueResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.SetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.TagQueueRequest;
import software.amazon.awssdk.services.sqs.model.TagQueueResponse;
import software.amazon.awssdk.services.sqs.model.UntagQueueRequest;
import software.amazon.awssdk.services.sqs.model.UntagQueueResponse;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.AwsJsonProtocol;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.QueryNames;
import xrayasync.localcloud.core.protocol.QueryProtocol;
import xrayasync.localcloud.core.protocol.RequestContext;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.protocol.ServiceModel;

/**
 * SQS's API over the local queues: queues (create, URL, attributes, list, tags, purge, delete) and messages (send,
 * receive with long polling, delete, visibility, each with its batch form), taking and returning the AWS SDK's model
 * objects. A request names its queue by the QueueUrl member or, sent to the queue's URL itself, by its path.
 */
public final class SqsApi {

    private static final int BATCH_LIMIT = 10;
    private static final int LIST_LIMIT = 1000;
    private static final String ALL = QueueAttributeName.ALL.toString();

    private final SqsService sqs;
    private final String account;

    public SqsApi(SqsService sqs, String account) {
        this.sqs = sqs;
        this.account = account;
    }

    /**
     * The API on the wire, from the SDK's model of it: SQS's AWS JSON 1.0 protocol, which today's SDKs and CLIs
     * send, and the query protocol older ones send, with SQS's query names.
     */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(SqsClient.class, "SQS"), AwsJsonProtocol.V1_0,
                new QueryProtocol("queue", QueryNames.SINGULAR_FLATTENED))
                .on(CreateQueueRequest.class, (request, context) -> createQueue(request))
                .on(GetQueueUrlRequest.class, (request, context) -> getQueueUrl(request))
                .on(GetQueueAttributesRequest.class, this::getQueueAttributes)
                .on(SetQueueAttributesRequest.class, this::setQueueAttributes)
                .on(ListQueuesRequest.class, (request, context) -> listQueues(request))
                .on(TagQueueRequest.class, this::tagQueue)
                .on(UntagQueueRequest.class, this::untagQueue)
                .on(ListQueueTagsRequest.class, this::listQueueTags)
                .on(PurgeQueueRequest.class, this::purgeQueue)
                .on(DeleteQueueRequest.class, this::deleteQueue)
                .on(SendMessageRequest.class, this::sendMessage)
                .on(SendMessageBatchRequest.class, this::sendMessageBatch)
                .on(ReceiveMessageRequest.class, this::receiveMessage)
                .on(DeleteMessageRequest.class, this::deleteMessage)
                .on(DeleteMessageBatchRequest.class, this::deleteMessageBatch)
                .on(ChangeMessageVisibilityRequest.class, this::changeMessageVisibility)
                .on(ChangeMessageVisibilityBatchRequest.class, this::changeMessageVisibilityBatch);
    }

    /** The queue a request names: by its QueueUrl, or by the path of the URL it was sent to. */
    private String queue(String queueUrl, RequestContext context) {
        return sqs.nameOfUrl(queueUrl != null ? queueUrl : context.path());
    }

    CreateQueueResponse createQueue(CreateQueueRequest request) {
        SqsService.Queue queue = sqs.createQueue(request.queueName(), request.attributesAsStrings(), request.tags());
        return CreateQueueResponse.builder().queueUrl(sqs.url(queue.name())).build();
    }

    GetQueueUrlResponse getQueueUrl(GetQueueUrlRequest request) {
        if (request.queueOwnerAWSAccountId() != null && !request.queueOwnerAWSAccountId().equals(account)) {
            throw SqsError.QUEUE_DOES_NOT_EXIST.with("The local cloud holds queues of account " + account + " only,"
                    + " not of " + request.queueOwnerAWSAccountId() + ": leave QueueOwnerAWSAccountId out.");
        }
        return GetQueueUrlResponse.builder().queueUrl(sqs.url(sqs.queue(request.queueName()).name())).build();
    }

    GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request, RequestContext context) {
        return GetQueueAttributesResponse.builder().attributesWithStrings(sqs.attributes(queue(request.queueUrl(),
                context), request.attributeNamesAsStrings())).build();
    }

    SetQueueAttributesResponse setQueueAttributes(SetQueueAttributesRequest request, RequestContext context) {
        sqs.setAttributes(queue(request.queueUrl(), context), request.attributesAsStrings());
        return SetQueueAttributesResponse.builder().build();
    }

    ListQueuesResponse listQueues(ListQueuesRequest request) {
        List<String> names = sqs.queueNames(request.queueNamePrefix());
        int limit = request.maxResults() == null ? LIST_LIMIT
                : new Bounds("MaxResults", 1, LIST_LIMIT).check(request.maxResults());
        int from = 0;
        if (request.nextToken() != null) {
            String after = ListToken.after(request.nextToken());
            while (from < names.size() && names.get(from).compareTo(after) <= 0) {
                from++;
            }
        }
        List<String> page = names.subList(from, Math.min(names.size(), from + limit));
        boolean more = request.maxResults() != null && from + page.size() < names.size();
        return ListQueuesResponse.builder().queueUrls(page.stream().map(sqs::url).toList())
                .nextToken(more ? ListToken.of(page.getLast()) : null).build();
    }

    /** ListQueues' NextToken: the last name of the page, opaque to clients. */
    private static final class ListToken {

        private ListToken() {
        }

        static String of(String lastName) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
        }

        static String after(String token) {
            try {
                return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notOurs) {
                throw SqsError.INVALID_PARAMETER_VALUE.with("Invalid NextToken value: pass the NextToken of the"
                        + " previous ListQueues answer unchanged.");
            }
        }
    }

    TagQueueResponse tagQueue(TagQueueRequest request, RequestContext context) {
        sqs.tag(queue(request.queueUrl(), context), request.tags(), List.of());
        return TagQueueResponse.builder().build();
    }

    UntagQueueResponse untagQueue(UntagQueueRequest request, RequestContext context) {
        sqs.tag(queue(request.queueUrl(), context), Map.of(), request.tagKeys());
        return UntagQueueResponse.builder().build();
    }

    ListQueueTagsResponse listQueueTags(ListQueueTagsRequest request, RequestContext context) {
        return ListQueueTagsResponse.builder().tags(sqs.queue(queue(request.queueUrl(), context)).tags()).build();
    }

    PurgeQueueResponse purgeQueue(PurgeQueueRequest request, RequestContext context) {
        sqs.purge(queue(request.queueUrl(), context));
        return PurgeQueueResponse.builder().build();
    }

    DeleteQueueResponse deleteQueue(DeleteQueueRequest request, RequestContext context) {
        sqs.deleteQueue(queue(request.queueUrl(), context));
        return DeleteQueueResponse.builder().build();
    }

    SendMessageResponse sendMessage(SendMessageRequest request, RequestContext context) {
        SqsService.Message sent = send(queue(request.queueUrl(), context), request.messageBody(),
                request.delaySeconds(), request.messageAttributes(), request.messageSystemAttributesAsStrings(),
                context.header(TraceHeader.HTTP_HEADER));
        return SendMessageResponse.builder().messageId(sent.messageId()).md5OfMessageBody(sent.md5OfBody())
                .md5OfMessageAttributes(sent.md5OfAttributes())
                .md5OfMessageSystemAttributes(sent.md5OfSystemAttributes()).build();
    }

    private SqsService.Message send(String queue, String body, Integer delaySeconds,
            Map<String, MessageAttributeValue> attributes, Map<String, MessageSystemAttributeValue> systemAttributes,
            String traceHeader) {
        Map<String, SqsService.AttributeValue> kept = new LinkedHashMap<>();
        attributes.forEach((name, value) -> kept.put(name, attribute(value.dataType(), value.stringValue(),
                value.binaryValue())));
        Map<String, SqsService.AttributeValue> system = new LinkedHashMap<>();
        systemAttributes.forEach((name, value) -> system.put(name, attribute(value.dataType(), value.stringValue(),
                value.binaryValue())));
        return sqs.send(queue, new SqsService.Outgoing(body, delaySeconds, kept, system, account, traceHeader));
    }

    private static SqsService.AttributeValue attribute(String dataType, String stringValue, SdkBytes binaryValue) {
        return new SqsService.AttributeValue(dataType, stringValue, binaryValue == null ? null
                : binaryValue.asByteArray());
    }

    SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request, RequestContext context) {
        String queue = queue(request.queueUrl(), context);
        Batch<SendMessageBatchResultEntry> batch = batch(request.entries(), SendMessageBatchRequestEntry.class,
                SendMessageBatchRequestEntry::id, entry -> {
                    SqsService.Message sent = send(queue, entry.messageBody(), entry.delaySeconds(),
                            entry.messageAttributes(), entry.messageSystemAttributesAsStrings(),
                            context.header(TraceHeader.HTTP_HEADER));
                    return SendMessageBatchResultEntry.builder().id(entry.id()).messageId(sent.messageId())
                            .md5OfMessageBody(sent.md5OfBody()).md5OfMessageAttributes(sent.md5OfAttributes())
                            .md5OfMessageSystemAttributes(sent.md5OfSystemAttributes()).build();
                });
        return SendMessageBatchResponse.builder().successful(batch.successful()).failed(batch.failed()).build();
    }

    ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request, RequestContext context)
            throws InterruptedException {
        String queue = queue(request.queueUrl(), context);
        Set<String> systemNames = new HashSet<>(request.attributeNamesAsStrings());
        systemNames.addAll(request.messageSystemAttributeNamesAsStrings());
        List<SqsService.Message> received = sqs.receive(queue, request.maxNumberOfMessages() == null ? 1
                : request.maxNumberOfMessages(), request.visibilityTimeout(), request.waitTimeSeconds());
        return ReceiveMessageResponse.builder().messages(received.stream()
                .map(message -> delivered(message, systemNames, request.messageAttributeNames())).toList()).build();
    }

    /** A received message with the system and message attributes asked for. */
    private static Message delivered(SqsService.Message message, Set<String> systemNames,
            List<String> attributeNames) {
        Map<String, String> system = new LinkedHashMap<>();
        system.put(MessageSystemAttributeName.SENDER_ID.toString(), message.senderId());
        system.put(MessageSystemAttributeName.SENT_TIMESTAMP.toString(), Long.toString(message.sentTimestamp()));
        system.put(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT.toString(),
                Integer.toString(message.receiveCount()));
        system.put(MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP.toString(),
                Long.toString(message.firstReceiveTimestamp()));
        message.systemAttributes().forEach((name, value) -> system.put(name, value.stringValue()));
        if (!systemNames.contains(ALL)) {
            system.keySet().retainAll(systemNames);
        }
        Map<String, SqsService.AttributeValue> chosen = new LinkedHashMap<>();
        message.attributes().forEach((name, value) -> {
            if (attributeNames.stream().anyMatch(asked -> asks(asked, name))) {
                chosen.put(name, value);
            }
        });
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        chosen.forEach((name, value) -> attributes.put(name, MessageAttributeValue.builder()
                .dataType(value.dataType()).stringValue(value.stringValue())
                .binaryValue(value.binaryValue() == null ? null : SdkBytes.fromByteArray(value.binaryValue()))
                .build()));
        return Message.builder().messageId(message.messageId()).receiptHandle(message.receiptHandle())
                .md5OfBody(message.md5OfBody()).body(message.body()).attributesWithStrings(system)
                .messageAttributes(attributes).md5OfMessageAttributes(MessageChecksums.ofAttributes(chosen)).build();
    }

    /** Whether a MessageAttributeNames entry asks for the attribute: All or .*, a name, or a prefix ending in .*. */
    private static boolean asks(String asked, String name) {
        if (asked.equals(ALL) || asked.equals(".*")) {
            return true;
        }
        return asked.endsWith(".*") ? name.startsWith(asked.substring(0, asked.length() - 1)) : asked.equals(name);
    }

    DeleteMessageResponse deleteMessage(DeleteMessageRequest request, RequestContext context) {
        sqs.delete(queue(request.queueUrl(), context), request.receiptHandle());
        return DeleteMessageResponse.builder().build();
    }

    DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request, RequestContext context) {
        String queue = queue(request.queueUrl(), context);
        Batch<DeleteMessageBatchResultEntry> batch = batch(request.entries(), DeleteMessageBatchRequestEntry.class,
                DeleteMessageBatchRequestEntry::id, entry -> {
                    sqs.delete(queue, entry.receiptHandle());
                    return DeleteMessageBatchResultEntry.builder().id(entry.id()).build();
                });
        return DeleteMessageBatchResponse.builder().successful(batch.successful()).failed(batch.failed()).build();
    }

    ChangeMessageVisibilityResponse changeMessageVisibility(ChangeMessageVisibilityRequest request,
            RequestContext context) {
        sqs.changeVisibility(queue(request.queueUrl(), context), request.receiptHandle(),
                required(request.visibilityTimeout(), "VisibilityTimeout"));
        return ChangeMessageVisibilityResponse.builder().build();
    }

    ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(ChangeMessageVisibilityBatchRequest request,
            RequestContext context) {
        String queue = queue(request.queueUrl(), context);
        Batch<ChangeMessageVisibilityBatchResultEntry> batch = batch(request.entries(),
                ChangeMessageVisibilityBatchRequestEntry.class, ChangeMessageVisibilityBatchRequestEntry::id,
                entry -> {
                    sqs.changeVisibility(queue, entry.receiptHandle(),
                            required(entry.visibilityTimeout(), "VisibilityTimeout"));
                    return ChangeMessageVisibilityBatchResultEntry.builder().id(entry.id()).build();
                });
        return ChangeMessageVisibilityBatchResponse.builder().successful(batch.successful()).failed(batch.failed())
                .build();
    }

    private static int required(Integer value, String parameter) {
        if (value == null) {
            throw SqsError.MISSING_PARAMETER.with("The request must contain the parameter " + parameter + ".");
        }
        return value;
    }

    /** A batch's outcome: the entries done, and those that failed with why. */
    private record Batch<S>(List<S> successful, List<BatchResultErrorEntry> failed) {
    }

    /**
     * Runs each entry of a batch on its own, as SQS does: the batch as a whole is refused when it is empty, too long
     * or its ids are not distinct and valid; an entry that fails is reported with its error, the others go ahead.
     */
    private static <E, S> Batch<S> batch(List<E> entries, Class<E> entryType, Function<E, String> id,
            Function<E, S> action) {
        if (entries.isEmpty()) {
            throw SqsError.EMPTY_BATCH_REQUEST.with("There should be at least one " + entryType.getSimpleName()
                    + " in the request.");
        }
        if (entries.size() > BATCH_LIMIT) {
            throw SqsError.TOO_MANY_ENTRIES_IN_BATCH_REQUEST.with("Maximum number of entries per request are "
                    + BATCH_LIMIT + ". You have sent " + entries.size() + ": split the batch.");
        }
        Set<String> ids = new HashSet<>();
        for (E entry : entries) {
            String entryId = id.apply(entry);
            if (entryId == null || !entryId.matches("[A-Za-z0-9_-]{1,80}")) {
                throw SqsError.INVALID_BATCH_ENTRY_ID.with("A batch entry id can only contain alphanumeric"
                        + " characters, hyphens and underscores, and be at most 80 long; '" + entryId + "' is not.");
            }
            if (!ids.add(entryId)) {
                throw SqsError.BATCH_ENTRY_IDS_NOT_DISTINCT.with("Id " + entryId + " repeated: give each entry of a"
                        + " batch its own id.");
            }
        }
        List<S> successful = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (E entry : entries) {
            try {
                successful.add(action.apply(entry));
            } catch (ServiceException error) {
                failed.add(BatchResultErrorEntry.builder().id(id.apply(entry)).senderFault(error.status() < 500)
                        .code(error.queryErrorCode()).message(error.getMessage()).build());
            }
        }
        return new Batch<>(successful, failed);
    }
}
