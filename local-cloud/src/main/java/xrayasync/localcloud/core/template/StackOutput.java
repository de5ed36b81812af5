package xrayasync.localcloud.core.template;

/** One of a stack's Outputs, its value resolved as CloudFormation resolves it. */
public record StackOutput(String key, String value, String description) {
}
