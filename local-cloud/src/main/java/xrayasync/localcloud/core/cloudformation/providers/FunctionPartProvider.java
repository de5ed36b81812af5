package xrayasync.localcloud.core.cloudformation.providers;

import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * A resource the SAM transform makes of a serverless function whose whole effect the function's own deployment
 * already has in the local cloud (its role, alias, async invoke settings): kept under its physical id, made and
 * removed with the function.
 */
public final class FunctionPartProvider implements ResourceProvider {

    private final String type;

    /** @param type AWS::IAM::Role, AWS::Lambda::Alias or AWS::Lambda::EventInvokeConfig */
    public FunctionPartProvider(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        return resource.physicalId();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        // Its function's removal takes it.
    }
}
