package xrayasync.localcloud.core.cloudformation.providers;

import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.lambda.LambdaFunction;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation's AWS::Lambda::Version of an AutoPublishAlias: the version the function's deployment published; its
 * physical id is the version's ARN. It goes with its function.
 */
public final class FunctionVersionProvider implements ResourceProvider {

    private final LambdaService lambda;

    public FunctionVersionProvider(LambdaService lambda) {
        this.lambda = lambda;
    }

    @Override
    public String type() {
        return "AWS::Lambda::Version";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        FunctionDefinition owner = owner(stack, resource);
        LambdaFunction function = lambda.function(owner.name());
        return owner.arn().qualified(function.aliasVersion().orElseThrow().number()).toString();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        // Its function's removal takes it.
    }

    /** The function a resource SAM made of one belongs to: its logical id begins the resource's (FnVersion1a2b… to Fn). */
    private static FunctionDefinition owner(StackDefinition stack, ResourceDefinition resource) {
        return stack.functions().stream().filter(function -> resource.logicalId().startsWith(function.logicalId()))
                .findFirst().orElseThrow();
    }
}
