package xrayasync.localcloud.core.sns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.CreateTopicRequest;
import software.amazon.awssdk.services.sns.model.CreateTopicResponse;
import software.amazon.awssdk.services.sns.model.DeleteTopicRequest;
import software.amazon.awssdk.services.sns.model.DeleteTopicResponse;
import software.amazon.awssdk.services.sns.model.GetSubscriptionAttributesRequest;
import software.amazon.awssdk.services.sns.model.GetSubscriptionAttributesResponse;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesRequest;
import software.amazon.awssdk.services.sns.model.GetTopicAttributesResponse;
import software.amazon.awssdk.services.sns.model.ListSubscriptionsByTopicRequest;
import software.amazon.awssdk.services.sns.model.ListSubscriptionsByTopicResponse;
import software.amazon.awssdk.services.sns.model.ListSubscriptionsRequest;
import software.amazon.awssdk.services.sns.model.ListSubscriptionsResponse;
import software.amazon.awssdk.services.sns.model.ListTopicsRequest;
import software.amazon.awssdk.services.sns.model.ListTopicsResponse;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sns.model.SetTopicAttributesRequest;
import software.amazon.awssdk.services.sns.model.SetTopicAttributesResponse;
import software.amazon.awssdk.services.sns.model.SubscribeRequest;
import software.amazon.awssdk.services.sns.model.SubscribeResponse;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sns.model.UnsubscribeRequest;
import software.amazon.awssdk.services.sns.model.UnsubscribeResponse;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.protocol.ModelledApi;
import xrayasync.localcloud.core.protocol.QueryProtocol;
import xrayasync.localcloud.core.protocol.RequestContext;
import xrayasync.localcloud.core.protocol.ServiceModel;
import xrayasync.localcloud.core.xray.TraceHeader;

/**
 * SNS's API over the local topics, in the query protocol SNS speaks: topics (create, attributes, list, delete),
 * subscriptions (subscribe, list, attributes, unsubscribe) and Publish, taking and returning the SDK's model objects.
 */
public final class SnsApi {

    private final SnsService sns;
    private final String account;

    public SnsApi(SnsService sns, String account) {
        this.sns = sns;
        this.account = account;
    }

    /** The API on the wire, from the SDK's model of it. */
    public ModelledApi wire() {
        return new ModelledApi(ServiceModel.of(SnsClient.class, "SNS"), new QueryProtocol("sns"))
                .on(CreateTopicRequest.class, (request, context) -> createTopic(request))
                .on(DeleteTopicRequest.class, (request, context) -> deleteTopic(request))
                .on(ListTopicsRequest.class, (request, context) -> listTopics())
                .on(GetTopicAttributesRequest.class, (request, context) -> getTopicAttributes(request))
                .on(SetTopicAttributesRequest.class, (request, context) -> setTopicAttributes(request))
                .on(SubscribeRequest.class, (request, context) -> subscribe(request))
                .on(UnsubscribeRequest.class, (request, context) -> unsubscribe(request))
                .on(ListSubscriptionsByTopicRequest.class, (request, context) -> listSubscriptionsByTopic(request))
                .on(ListSubscriptionsRequest.class, (request, context) -> listSubscriptions())
                .on(GetSubscriptionAttributesRequest.class, (request, context) -> getSubscriptionAttributes(request))
                .on(PublishRequest.class, this::publish);
    }

    CreateTopicResponse createTopic(CreateTopicRequest request) {
        return CreateTopicResponse.builder().topicArn(sns.createTopic(request.name(), request.attributes()).arn())
                .build();
    }

    DeleteTopicResponse deleteTopic(DeleteTopicRequest request) {
        sns.deleteTopic(request.topicArn());
        return DeleteTopicResponse.builder().build();
    }

    ListTopicsResponse listTopics() {
        return ListTopicsResponse.builder().topics(sns.topics().stream()
                .map(topic -> Topic.builder().topicArn(topic.arn()).build()).toList()).build();
    }

    GetTopicAttributesResponse getTopicAttributes(GetTopicAttributesRequest request) {
        SnsService.Topic topic = sns.topic(request.topicArn());
        List<SnsService.Subscription> subscriptions = sns.subscriptions(topic.arn());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("TopicArn", topic.arn());
        attributes.put("Owner", account);
        attributes.put("DisplayName", "");
        attributes.put("SubscriptionsConfirmed", Integer.toString(subscriptions.size()));
        attributes.put("SubscriptionsPending", "0");
        attributes.put("SubscriptionsDeleted", "0");
        attributes.put("TracingConfig", SnsService.PASS_THROUGH);
        attributes.putAll(topic.attributes());
        return GetTopicAttributesResponse.builder().attributes(attributes).build();
    }

    SetTopicAttributesResponse setTopicAttributes(SetTopicAttributesRequest request) {
        sns.setTopicAttribute(request.topicArn(), request.attributeName(), request.attributeValue());
        return SetTopicAttributesResponse.builder().build();
    }

    SubscribeResponse subscribe(SubscribeRequest request) {
        return SubscribeResponse.builder().subscriptionArn(sns.subscribe(request.topicArn(), request.protocol(),
                request.endpoint(), request.attributes()).arn()).build();
    }

    UnsubscribeResponse unsubscribe(UnsubscribeRequest request) {
        sns.unsubscribe(request.subscriptionArn());
        return UnsubscribeResponse.builder().build();
    }

    ListSubscriptionsByTopicResponse listSubscriptionsByTopic(ListSubscriptionsByTopicRequest request) {
        sns.topic(request.topicArn());
        return ListSubscriptionsByTopicResponse.builder().subscriptions(sns.subscriptions(request.topicArn()).stream()
                .map(this::subscription).toList()).build();
    }

    ListSubscriptionsResponse listSubscriptions() {
        return ListSubscriptionsResponse.builder().subscriptions(sns.subscriptions().stream()
                .map(this::subscription).toList()).build();
    }

    GetSubscriptionAttributesResponse getSubscriptionAttributes(GetSubscriptionAttributesRequest request) {
        SnsService.Subscription subscription = sns.subscriptions().stream()
                .filter(found -> found.arn().equals(request.subscriptionArn())).findFirst()
                .orElseThrow(() -> new ServiceException(404, "NotFound", "Subscription does not exist: "
                        + request.subscriptionArn() + " (ListSubscriptions lists them)."));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("SubscriptionArn", subscription.arn());
        attributes.put("TopicArn", subscription.topicArn());
        attributes.put("Protocol", subscription.protocol());
        attributes.put("Endpoint", subscription.endpoint());
        attributes.put("Owner", account);
        attributes.put("ConfirmationWasAuthenticated", "true");
        attributes.put("PendingConfirmation", "false");
        attributes.put("RawMessageDelivery", "false");
        attributes.putAll(subscription.attributes());
        return GetSubscriptionAttributesResponse.builder().attributes(attributes).build();
    }

    private Subscription subscription(SnsService.Subscription subscription) {
        return Subscription.builder().subscriptionArn(subscription.arn()).owner(account)
                .protocol(subscription.protocol()).endpoint(subscription.endpoint()).topicArn(subscription.topicArn())
                .build();
    }

    PublishResponse publish(PublishRequest request, RequestContext context) {
        String topicArn = request.topicArn() != null ? request.topicArn() : request.targetArn();
        if (topicArn == null) {
            throw new ServiceException(400, "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no"
                    + " value for required parameter: give the topic's ARN.");
        }
        Map<String, SnsService.MessageAttribute> attributes = new LinkedHashMap<>();
        request.messageAttributes().forEach((name, value) -> attributes.put(name, new SnsService.MessageAttribute(
                value.dataType(), value.stringValue(), value.binaryValue() == null ? null
                        : value.binaryValue().asByteArray())));
        return PublishResponse.builder().messageId(sns.publish(topicArn, request.message(), request.subject(),
                attributes, context.header(TraceHeader.HTTP_HEADER))).build();
    }
}
