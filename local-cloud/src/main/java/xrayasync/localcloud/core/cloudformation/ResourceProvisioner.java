package xrayasync.localcloud.core.cloudformation;

import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/** What makes a stack's resources real in the cloud's services: CloudFormation's resource providers. */
public interface ResourceProvisioner {

    /**
     * Creates a resource, or updates it to what the stack now declares.
     *
     * @return the resource's physical id
     * @throws ProvisioningException with the reason CloudFormation reports when the resource cannot be made
     */
    String provision(StackDefinition stack, ResourceDefinition resource);

    /** Deletes a resource; one that is already gone is deleted. */
    void remove(StackDefinition stack, ResourceDefinition resource);

    /** The template a TemplateURL points at, in the cloud's own S3. */
    String template(String templateUrl);

    /** Why a resource could not be made, in words for CloudFormation's event. */
    final class ProvisioningException extends RuntimeException {
        public ProvisioningException(String reason) {
            super(reason);
        }

        /** A service's refusal as CloudFormation reports a resource handler's: its message, service, status, code. */
        public static ProvisioningException refusedBy(String service, ServiceException refused) {
            return new ProvisioningException("Resource handler returned message: \"" + refused.getMessage()
                    + "\" (Service: " + service + ", Status Code: " + refused.status() + ", Error Code: "
                    + refused.queryErrorCode() + ")");
        }
    }
}
