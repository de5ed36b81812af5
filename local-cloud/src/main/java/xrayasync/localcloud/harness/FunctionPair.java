package xrayasync.localcloud.harness;

/**
 * The two functions the harness proves a linked trace across: the caller, which invokes the callee asynchronously.
 * Logical ids of the template, so that any template with such a pair runs through the same commands.
 */
public record FunctionPair(String callerLogicalId, String calleeLogicalId) {
}
