package xrayasync.localcloud.core.cloudformation.providers;

import java.util.List;
import java.util.Map;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.lambda.EventSourceMappings;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::Lambda::EventSourceMapping from an SQS queue: the mapping made, or changed, with its
 * EventSourceArn, FunctionName, BatchSize, MaximumBatchingWindowInSeconds, FunctionResponseTypes and Enabled; its
 * physical id is its UUID.
 */
public final class EventSourceMappingProvider implements ResourceProvider {

    private static final String REPORT_BATCH_ITEM_FAILURES = "ReportBatchItemFailures";

    private final EventSourceMappings mappings;

    public EventSourceMappingProvider(EventSourceMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    public String type() {
        return "AWS::Lambda::EventSourceMapping";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        Object responseTypes = properties.get("FunctionResponseTypes");
        try {
            mappings.declare(resource.physicalId(), text(properties.get("EventSourceArn")),
                    text(properties.get("FunctionName")), number(properties.get("BatchSize")),
                    number(properties.get("MaximumBatchingWindowInSeconds")),
                    responseTypes instanceof List<?> types && types.contains(REPORT_BATCH_ITEM_FAILURES),
                    !"false".equalsIgnoreCase(String.valueOf(properties.getOrDefault("Enabled", "true"))));
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("Lambda", refused);
        }
        return resource.physicalId();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        mappings.remove(resource.physicalId());
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static Integer number(Object value) {
        return value == null ? null : Integer.valueOf(String.valueOf(value));
    }
}
