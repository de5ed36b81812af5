package xrayasync.localcloud.core.cloudformation.providers;

import java.util.LinkedHashMap;
import java.util.Map;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.sns.SnsService;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::SNS::Subscription: a lambda or sqs endpoint subscribed to a topic, with RawMessageDelivery;
 * its physical id is the subscription's ARN, which SNS makes, so the stack keeps what this returns.
 */
public final class SubscriptionProvider implements ResourceProvider {

    private final SnsService sns;

    public SubscriptionProvider(SnsService sns) {
        this.sns = sns;
    }

    @Override
    public String type() {
        return "AWS::SNS::Subscription";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        Map<String, String> attributes = new LinkedHashMap<>();
        if (properties.get("RawMessageDelivery") != null) {
            attributes.put("RawMessageDelivery", String.valueOf(properties.get("RawMessageDelivery")));
        }
        try {
            return sns.subscribe(String.valueOf(properties.get("TopicArn")), String.valueOf(properties.get("Protocol")),
                    String.valueOf(properties.get("Endpoint")), attributes).arn();
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("Sns", refused);
        }
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        String topic = String.valueOf(properties.get("TopicArn"));
        sns.subscriptions(topic).stream()
                .filter(subscription -> subscription.protocol().equals(String.valueOf(properties.get("Protocol")))
                        && subscription.endpoint().equals(String.valueOf(properties.get("Endpoint"))))
                .forEach(subscription -> sns.unsubscribe(subscription.arn()));
    }
}
