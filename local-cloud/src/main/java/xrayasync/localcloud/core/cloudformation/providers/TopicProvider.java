package xrayasync.localcloud.core.cloudformation.providers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.sns.SnsService;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::SNS::Topic in the cloud's own SNS: the topic with its TracingConfig and DisplayName, and the
 * subscriptions its Subscription property lists; its physical id is its ARN.
 */
public final class TopicProvider implements ResourceProvider {

    private final SnsService sns;

    public TopicProvider(SnsService sns) {
        this.sns = sns;
    }

    @Override
    public String type() {
        return "AWS::SNS::Topic";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String attribute : List.of("TracingConfig", "DisplayName", "FifoTopic")) {
            if (properties.get(attribute) != null) {
                attributes.put(attribute, String.valueOf(properties.get(attribute)));
            }
        }
        try {
            SnsService.Topic topic = sns.declareTopic(stack.topicName(resource.logicalId()), attributes);
            if (properties.get("Subscription") instanceof List<?> subscriptions) {
                subscriptions.stream().map(SamTemplate::map).forEach(subscription -> sns.subscribe(topic.arn(),
                        String.valueOf(subscription.get("Protocol")), String.valueOf(subscription.get("Endpoint")),
                        Map.of()));
            }
            return topic.arn();
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("Sns", refused);
        }
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        sns.deleteTopic(resource.physicalId());
    }
}
