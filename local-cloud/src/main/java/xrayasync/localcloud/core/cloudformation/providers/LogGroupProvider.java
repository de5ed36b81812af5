package xrayasync.localcloud.core.cloudformation.providers;

import xrayasync.localcloud.core.cloudformation.ResourceProvider;
import xrayasync.localcloud.core.logs.LogsService;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/** CloudFormation's AWS::Logs::LogGroup in the cloud's CloudWatch Logs, with its RetentionInDays. */
public final class LogGroupProvider implements ResourceProvider {

    private final LogsService logs;

    public LogGroupProvider(LogsService logs) {
        this.logs = logs;
    }

    @Override
    public String type() {
        return "AWS::Logs::LogGroup";
    }

    @Override
    public String provision(StackDefinition stack, ResourceDefinition resource) {
        Object retention = stack.resolvedProperties(resource.logicalId()).get("RetentionInDays");
        logs.createGroup(resource.physicalId(), retention == null ? null : Integer.valueOf(String.valueOf(retention)));
        return resource.physicalId();
    }

    @Override
    public void remove(StackDefinition stack, ResourceDefinition resource) {
        logs.deleteGroup(resource.physicalId());
    }
}
