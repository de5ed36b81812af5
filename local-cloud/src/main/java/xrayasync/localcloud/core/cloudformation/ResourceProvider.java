package xrayasync.localcloud.core.cloudformation;

import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * One CloudFormation resource type made real in the cloud's own services (LocalStack's resource providers): it is
 * registered under its type name, and a new type is a new provider, not another branch of a switch.
 */
public interface ResourceProvider {

    /** The CloudFormation type this provider makes, {@code AWS::SQS::Queue} for instance. */
    String type();

    /**
     * Creates the resource, or updates it to what the stack now declares.
     *
     * @return the resource's physical id
     * @throws ResourceProvisioner.ProvisioningException with the reason CloudFormation reports when it cannot be made
     */
    String provision(StackDefinition stack, ResourceDefinition resource);

    /** Deletes the resource; one that is already gone is deleted. */
    void remove(StackDefinition stack, ResourceDefinition resource);
}
