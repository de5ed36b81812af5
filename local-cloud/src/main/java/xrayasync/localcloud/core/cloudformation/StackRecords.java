package xrayasync.localcloud.core.cloudformation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The records a stack is made of, as CloudFormation reports them and as the cloud keeps them on disk. */
final class StackRecords {

    private StackRecords() {
    }

    /** A resource of the stack: what it is, its physical id, and where its last operation left it. */
    record Resource(String logicalId, String type, String physicalId, String status, Instant timestamp) {
    }

    /** One of the stack's events, its id unique in the stack. */
    record Event(String eventId, Instant timestamp, String logicalId, String physicalId, String type, String status,
            String reason) {
    }

    /** A change a change set would make to one resource: Add, Modify or Remove. */
    record ResourceChange(String action, String logicalId, String physicalId, String type, String replacement) {
    }

    /** A tag of the stack. */
    record Tag(String key, String value) {
    }

    /**
     * A change set: the template and parameters it would deploy, the changes that come to, and where it stands.
     *
     * @param status CREATE_COMPLETE or FAILED (with the reason)
     * @param executionStatus AVAILABLE, EXECUTE_COMPLETE, UNAVAILABLE or OBSOLETE
     */
    record ChangeSet(String id, String name, String type, String status, String statusReason, String executionStatus,
            String templateBody, Map<String, String> parameters, List<Tag> tags, List<String> capabilities,
            List<ResourceChange> changes, Instant created, String description) {

        ChangeSet withExecutionStatus(String newStatus) {
            return new ChangeSet(id, name, type, status, statusReason, newStatus, templateBody, parameters, tags,
                    capabilities, changes, created, description);
        }
    }

    /** A whole stack as written to disk, so that it survives a restart of the cloud. */
    record Snapshot(String stackId, String stackName, String status, String statusReason, Instant created,
            Instant lastUpdated, String templateBody, Map<String, String> parameters, List<Tag> tags,
            List<String> capabilities, List<Resource> resources, List<Event> events, List<ChangeSet> changeSets) {
    }
}
