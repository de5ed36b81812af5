package xrayasync.localcloud.core.cloudformation.providers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.events.EventsService;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::Events::Rule in the cloud's own EventBridge: the rule on its EventBusName (the default bus
 * when none) with its EventPattern (an object, or its JSON as a string), State and Description, and exactly the
 * Targets it declares (Id and Arn of a Lambda function or alias); its physical id is its Ref, the rule's name, or
 * {@code <bus>|<rule>} on a custom bus.
 */
public final class RuleProvider implements ResourceProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventsService events;

    public RuleProvider(EventsService events) {
        this.events = events;
    }

    @Override
    public String type() {
        return "AWS::Events::Rule";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        String bus = stack.ruleBusName(resource.logicalId());
        String name = stack.ruleName(resource.logicalId());
        Object pattern = properties.get("EventPattern");
        List<EventsService.Target> targets = new ArrayList<>();
        if (properties.get("Targets") instanceof List<?> declared) {
            declared.stream().map(SamTemplate::map).forEach(target -> targets.add(new EventsService.Target(
                    String.valueOf(target.get("Id")), String.valueOf(target.get("Arn")))));
        }
        try {
            EventsService.Rule rule = events.putRule(name, bus, pattern instanceof Map<?, ?> || pattern instanceof
                    List<?> ? json(pattern) : pattern == null ? null : String.valueOf(pattern),
                    properties.get("State") == null ? "ENABLED" : String.valueOf(properties.get("State")),
                    properties.get("Description") == null ? null : String.valueOf(properties.get("Description")));
            // The declared targets replace the rule's: those an update dropped are removed.
            List<String> declaredIds = targets.stream().map(EventsService.Target::id).toList();
            events.removeTargets(bus, name, rule.targets().stream().map(EventsService.Target::id)
                    .filter(id -> !declaredIds.contains(id)).toList());
            if (!targets.isEmpty()) {
                events.putTargets(bus, name, targets);
            }
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("EventBridge", refused);
        }
        return resource.physicalId();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        String bus = stack.ruleBusName(resource.logicalId());
        if (events.busExists(bus)) {
            events.deleteRule(bus, stack.ruleName(resource.logicalId()), true);
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
