package xrayasync.localcloud.core.cloudformation.providers;

import java.util.Map;
import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.cloudformation.ResourceProvisioner.ProvisioningException;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::Lambda::Permission: a statement of the function's resource-based policy, which the local
 * cloud's services check before they invoke the function (SNS does); its physical id is the statement's id.
 */
public final class PermissionProvider implements ResourceProvider {

    private final LambdaService lambda;

    public PermissionProvider(LambdaService lambda) {
        this.lambda = lambda;
    }

    @Override
    public String type() {
        return "AWS::Lambda::Permission";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        if (!"lambda:InvokeFunction".equals(properties.get("Action"))) {
            throw new ProvisioningException("Resource handler returned message: \"" + resource.logicalId()
                    + " grants " + properties.get("Action") + "; the local cloud emulates lambda:InvokeFunction"
                    + " permissions only.\"");
        }
        FunctionArn function = FunctionArn.fromFunctionName(String.valueOf(properties.get("FunctionName")),
                stack.region(), stack.account());
        Object source = properties.get("SourceArn");
        lambda.permit(new LambdaService.Permission(resource.physicalId(), function.functionName(),
                function.qualifier(), String.valueOf(properties.get("Principal")),
                source == null ? null : String.valueOf(source)));
        return resource.physicalId();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        Map<String, Object> properties = stack.resolvedProperties(resource.logicalId());
        lambda.revoke(FunctionArn.fromFunctionName(String.valueOf(properties.get("FunctionName")), stack.region(),
                stack.account()).functionName(), resource.physicalId());
    }
}
