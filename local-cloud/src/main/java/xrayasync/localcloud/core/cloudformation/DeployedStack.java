package xrayasync.localcloud.core.cloudformation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * One stack as CloudFormation holds it: its status, the template and parameters it last deployed, its resources, its
 * events (newest last here, newest first on the wire) and its change sets. Guarded by its own monitor.
 */
final class DeployedStack {

    private final String stackId;
    private final String stackName;
    private final Instant created;
    private String status;
    private String statusReason;
    private Instant lastUpdated;
    private String templateBody;
    private Map<String, String> parameters = Map.of();
    private List<StackRecords.Tag> tags = List.of();
    private List<String> capabilities = List.of();
    private StackDefinition definition;
    private final List<StackRecords.Resource> resources = new ArrayList<>();
    private final List<StackRecords.Event> events = new ArrayList<>();
    private final Map<String, StackRecords.ChangeSet> changeSets = new LinkedHashMap<>();
    private Instant lastEventTime = Instant.EPOCH;

    DeployedStack(String stackId, String stackName, Instant created) {
        this.stackId = stackId;
        this.stackName = stackName;
        this.created = created;
    }

    static DeployedStack restored(StackRecords.Snapshot snapshot) {
        DeployedStack stack = new DeployedStack(snapshot.stackId(), snapshot.stackName(), snapshot.created());
        stack.status = snapshot.status();
        stack.statusReason = snapshot.statusReason();
        stack.lastUpdated = snapshot.lastUpdated();
        stack.templateBody = snapshot.templateBody();
        stack.parameters = snapshot.parameters();
        stack.tags = snapshot.tags();
        stack.capabilities = snapshot.capabilities();
        stack.resources.addAll(snapshot.resources());
        stack.events.addAll(snapshot.events());
        snapshot.changeSets().forEach(changeSet -> stack.changeSets.put(changeSet.id(), changeSet));
        stack.lastEventTime = snapshot.events().isEmpty() ? Instant.EPOCH : snapshot.events().getLast().timestamp();
        return stack;
    }

    synchronized StackRecords.Snapshot snapshot() {
        return new StackRecords.Snapshot(stackId, stackName, status, statusReason, created, lastUpdated, templateBody,
                parameters, tags, capabilities, List.copyOf(resources), List.copyOf(events),
                List.copyOf(changeSets.values()));
    }

    String stackId() {
        return stackId;
    }

    String stackName() {
        return stackName;
    }

    Instant created() {
        return created;
    }

    synchronized String status() {
        return status;
    }

    synchronized String statusReason() {
        return statusReason;
    }

    synchronized Instant lastUpdated() {
        return lastUpdated;
    }

    synchronized String templateBody() {
        return templateBody;
    }

    synchronized Map<String, String> parameters() {
        return parameters;
    }

    synchronized List<StackRecords.Tag> tags() {
        return tags;
    }

    synchronized List<String> capabilities() {
        return capabilities;
    }

    synchronized Optional<StackDefinition> definition() {
        return Optional.ofNullable(definition);
    }

    synchronized List<StackRecords.Resource> resources() {
        return List.copyOf(resources);
    }

    synchronized List<StackRecords.Event> eventsNewestFirst() {
        return events.reversed();
    }

    synchronized List<StackRecords.ChangeSet> changeSets() {
        return List.copyOf(changeSets.values());
    }

    /** A change set by its name or its ARN. */
    synchronized Optional<StackRecords.ChangeSet> changeSet(String nameOrId) {
        return changeSets.values().stream()
                .filter(changeSet -> changeSet.id().equals(nameOrId) || changeSet.name().equals(nameOrId))
                .reduce((first, later) -> later);
    }

    synchronized void putChangeSet(StackRecords.ChangeSet changeSet) {
        changeSets.put(changeSet.id(), changeSet);
    }

    /** Takes on what a deployment deployed. */
    synchronized void deployed(StackDefinition newDefinition, String newTemplateBody, Map<String, String> newParameters,
            List<StackRecords.Tag> newTags, List<String> newCapabilities) {
        definition = newDefinition;
        templateBody = newTemplateBody;
        parameters = Map.copyOf(newParameters);
        tags = List.copyOf(newTags);
        capabilities = List.copyOf(newCapabilities);
    }

    /** The template of a stack only reviewed so far, for GetTemplate before the first execution. */
    synchronized void reviewed(String newTemplateBody, Map<String, String> newParameters,
            List<StackRecords.Tag> newTags, List<String> newCapabilities) {
        if (definition == null) {
            templateBody = newTemplateBody;
            parameters = Map.copyOf(newParameters);
            tags = List.copyOf(newTags);
            capabilities = List.copyOf(newCapabilities);
        }
    }

    synchronized void definition(StackDefinition restored) {
        definition = restored;
    }

    /** Sets the stack's status and records the root event that says so. */
    synchronized void status(String newStatus, String reason) {
        status = newStatus;
        statusReason = reason;
        lastUpdated = Instant.now();
        event(stackName, stackId, "AWS::CloudFormation::Stack", newStatus, reason);
    }

    /** Records a resource's new state and the event that says so. */
    synchronized void resource(String logicalId, String type, String physicalId, String resourceStatus, String reason) {
        Instant at = event(logicalId, physicalId, type, resourceStatus, reason);
        resources.removeIf(resource -> resource.logicalId().equals(logicalId));
        if (!resourceStatus.equals("DELETE_COMPLETE")) {
            resources.add(new StackRecords.Resource(logicalId, type, physicalId, resourceStatus, at));
        }
    }

    /**
     * Adds an event. Each is a millisecond or more later than the one before: the SAM CLI waits for a final stack
     * event newer, in milliseconds, than the last it saw (samcli/lib/deploy/deployer.py).
     */
    private Instant event(String logicalId, String physicalId, String type, String eventStatus, String reason) {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant at = now.isAfter(lastEventTime) ? now : lastEventTime.plusMillis(1);
        lastEventTime = at;
        events.add(new StackRecords.Event(UUID.randomUUID().toString(), at, logicalId, physicalId, type, eventStatus,
                reason));
        return at;
    }
}
