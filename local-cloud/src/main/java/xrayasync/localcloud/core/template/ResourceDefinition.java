package xrayasync.localcloud.core.template;

/**
 * A resource of a deployed stack as CloudFormation lists it, after the SAM transform: its logical id, its type and the
 * physical id CloudFormation reports (a function's name, a queue's URL, a version's or an alias's ARN, …).
 */
public record ResourceDefinition(String logicalId, String type, String physicalId) {
}
