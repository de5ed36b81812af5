package xrayasync.localcloud.core.cloudformation.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.sqs.SqsService;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::SQS::Queue in the cloud's own SQS: the queue made, or updated, with the attributes its
 * properties declare (AWS::SQS::Queue's properties carry SQS's attribute names; a policy given as an object is the
 * attribute's JSON), its messages kept across updates and restarts, and deleted with it.
 */
public final class QueueProvider implements ResourceProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsService sqs;

    public QueueProvider(SqsService sqs) {
        this.sqs = sqs;
    }

    @Override
    public String type() {
        return "AWS::SQS::Queue";
    }

    /** Creates the queue, or makes it hold what the stack now declares; its physical id is its URL. */
    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, String> attributes = new LinkedHashMap<>();
        stack.resolvedProperties(resource.logicalId()).forEach((property, value) -> {
            if (QueueAttributeName.fromValue(property) != QueueAttributeName.UNKNOWN_TO_SDK_VERSION) {
                attributes.put(property, value instanceof Map<?, ?> || value instanceof List<?> ? json(value)
                        : String.valueOf(value));
            }
        });
        String name = stack.queueName(resource.logicalId());
        try {
            sqs.declareQueue(name, attributes);
            Object tags = stack.resolvedProperties(resource.logicalId()).get("Tags");
            if (tags instanceof List<?> declared) {
                Map<String, String> byKey = new LinkedHashMap<>();
                declared.stream().map(SamTemplate::map).forEach(tag -> byKey.put(String.valueOf(tag.get("Key")),
                        String.valueOf(tag.get("Value"))));
                sqs.tag(name, byKey, List.of());
            }
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("Sqs", refused);
        }
        return sqs.url(name);
    }

    /** Deletes the queue and its messages; one already gone is deleted. */
    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        String name = stack.queueName(resource.logicalId());
        if (sqs.exists(name)) {
            sqs.deleteQueue(name);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
