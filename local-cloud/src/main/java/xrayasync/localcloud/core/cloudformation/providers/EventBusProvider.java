package xrayasync.localcloud.core.cloudformation.providers;

import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.events.EventsService;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::Events::EventBus in the cloud's own EventBridge: the custom bus its Name declares, with its
 * Description, deleted with its rules; its physical id (and Ref) is its name.
 */
public final class EventBusProvider implements ResourceProvider {

    private final EventsService events;

    public EventBusProvider(EventsService events) {
        this.events = events;
    }

    @Override
    public String type() {
        return "AWS::Events::EventBus";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        String name = stack.eventBusName(resource.logicalId());
        Object description = stack.resolvedProperties(resource.logicalId()).get("Description");
        try {
            events.declareBus(name, description == null ? null : String.valueOf(description));
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("EventBridge", refused);
        }
        return name;
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        String name = stack.eventBusName(resource.logicalId());
        if (events.busExists(name)) {
            events.deleteBus(name);
        }
    }
}
