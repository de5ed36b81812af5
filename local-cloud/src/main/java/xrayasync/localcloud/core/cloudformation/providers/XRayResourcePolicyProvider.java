package xrayasync.localcloud.core.cloudformation.providers;

import java.util.Map;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;
import xrayasync.localcloud.core.xray.ResourcePolicies;

/** CloudFormation's AWS::XRay::ResourcePolicy: the policy kept by its PolicyName, which is also its physical id. */
public final class XRayResourcePolicyProvider implements ResourceProvider {

    private final ResourcePolicies policies;

    public XRayResourcePolicyProvider(ResourcePolicies policies) {
        this.policies = policies;
    }

    @Override
    public String type() {
        return "AWS::XRay::ResourcePolicy";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        String name = String.valueOf(properties.get("PolicyName"));
        try {
            policies.put(name, String.valueOf(properties.get("PolicyDocument")));
        } catch (ServiceException refused) {
            throw ProvisioningException.refusedBy("XRay", refused);
        }
        return name;
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        policies.delete(String.valueOf(stack.resolvedProperties(resource.logicalId()).get("PolicyName")));
    }
}
