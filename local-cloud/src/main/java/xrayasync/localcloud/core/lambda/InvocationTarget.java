package xrayasync.localcloud.core.lambda;

import xrayasync.localcloud.core.arn.FunctionArn;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.FunctionDefinition.AsyncConfig;

/**
 * What an Invoke request names, resolved once: the function, the version that runs, and the settings of the
 * qualifier it was invoked through.
 *
 * @param invokedArn the ARN as invoked: qualified when the request named a qualifier
 * @param asyncConfig the async settings of the invoked qualifier (Lambda's defaults where none are set)
 */
public record InvocationTarget(FunctionDefinition function, String version, FunctionArn invokedArn,
        AsyncConfig asyncConfig) {
}
