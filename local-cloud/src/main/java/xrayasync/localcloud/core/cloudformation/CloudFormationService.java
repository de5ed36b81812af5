package xrayasync.localcloud.core.cloudformation;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.store.Records;
import xrayasync.localcloud.core.template.ResourceDefinition;
import xrayasync.localcloud.core.template.StackDefinition;

/**
 * CloudFormation as the local cloud runs it: stacks made and changed through change sets (created, described,
 * executed), deleted, each with its events and resources, deployed by a {@link ResourceProvisioner}; the stacks
 * deployed this way are kept on disk and deployed again when the cloud restarts.
 */
public final class CloudFormationService {

    static final String NO_CHANGES = "The submitted information didn't contain changes. Submit different information"
            + " to create a change set.";
    private static final Set<String> SETTLED = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE");

    /** Turns a template and parameters into the stack they declare. */
    @FunctionalInterface
    public interface Resolver {
        StackDefinition resolve(String templateBody, String stackName, Map<String, String> parameters);
    }

    /**
     * What CreateChangeSet asks for.
     *
     * @param parameters the values given, or null for "use the previous value"
     */
    public record ChangeSetRequest(String stackName, String changeSetName, String type, String templateBody,
            Map<String, String> parameters, List<StackRecords.Tag> tags, List<String> capabilities,
            String description) {
    }

    private final String region;
    private final String account;
    private final Resolver resolver;
    private final ResourceProvisioner provisioner;
    private final Records stacks;
    private final Map<String, DeployedStack> live = new ConcurrentHashMap<>();
    private final Map<String, DeployedStack> deleted = new ConcurrentHashMap<>();

    /** @param stacks where deployed stacks are kept between runs */
    public CloudFormationService(String region, String account, Resolver resolver, ResourceProvisioner provisioner,
            Records stacks) {
        this.region = region;
        this.account = account;
        this.resolver = resolver;
        this.provisioner = provisioner;
        this.stacks = stacks;
    }

    /**
     * Deploys a stack the cloud starts with, from a template on disk, as a create would (its events included). It is
     * not kept between runs, as it comes from the command line each time; what was kept under its name is dropped.
     */
    public void preload(StackDefinition definition) {
        stacks.delete(definition.stackName());
        DeployedStack stack = new DeployedStack(definition.stackId(), definition.stackName(), Instant.now());
        live.put(stack.stackName(), stack);
        stack.status("CREATE_IN_PROGRESS", "User Initiated");
        for (ResourceDefinition resource : definition.resources()) {
            stack.resource(resource.logicalId(), resource.type(), "", "CREATE_IN_PROGRESS", null);
            stack.resource(resource.logicalId(), resource.type(), provisioner.provision(definition, resource),
                    "CREATE_COMPLETE", null);
        }
        stack.deployed(definition, definition.template().body(), definition.parameters(), List.of(),
                List.of("CAPABILITY_IAM"));
        stack.status("CREATE_COMPLETE", null);
    }

    /**
     * Deploys again the stacks kept in the store. A stack the cloud stopped in the middle of deploying ends as
     * CloudFormation ends a deployment that cannot go on: a create rolled back (ROLLBACK_COMPLETE), an update rolled
     * back to what was deployed before (UPDATE_ROLLBACK_COMPLETE), a delete completed. A stack that cannot be deployed
     * again (its code is gone from S3, say) is dropped with a line that says why: CloudFormation must never report a
     * stack that cannot run.
     */
    public void restore(PrintStream notices) {
        for (Records.Entry<StackRecords.Snapshot> kept : stacks.all(StackRecords.Snapshot.class)) {
            DeployedStack stack = DeployedStack.restored(kept.value());
            if (live.containsKey(stack.stackName())) {
                continue;
            }
            try {
                switch (stack.status()) {
                    case "CREATE_IN_PROGRESS" -> rollBackInterruptedCreate(stack);
                    case "UPDATE_IN_PROGRESS" -> rollBackInterruptedUpdate(stack);
                    case "DELETE_IN_PROGRESS" -> {
                        live.put(stack.stackName(), stack);
                        redeploy(stack);
                        deleteStack(stack.stackName(), List.of());
                        continue;
                    }
                    default -> {
                        if (SETTLED.contains(stack.status())) {
                            redeploy(stack);
                        }
                    }
                }
                live.put(stack.stackName(), stack);
                keep(stack);
            } catch (RuntimeException unusable) {
                notices.println("Stack " + stack.stackName() + " was not restored: " + unusable.getMessage()
                        + " Deploy it again.");
                stacks.delete(kept.key());
            }
        }
    }

    /** Deploys again what the stack has deployed (the cloud's functions live only as long as its process). */
    private void redeploy(DeployedStack stack) {
        StackDefinition definition = resolver.resolve(stack.templateBody(), stack.stackName(), stack.parameters());
        for (StackRecords.Resource resource : stack.resources()) {
            if (!resource.status().startsWith("DELETE")) {
                resourceOf(definition, resource.logicalId()).ifPresent(declared ->
                        provisioner.provision(definition, declared));
            }
        }
        stack.definition(definition);
    }

    private static final String INTERRUPTED = "The local cloud stopped during the deployment.";

    /** A create cut short: what it made is removed again, as CloudFormation's rollback of a failed create does. */
    private void rollBackInterruptedCreate(DeployedStack stack) {
        StackRecords.ChangeSet executing = executing(stack);
        StackDefinition target = resolver.resolve(executing.templateBody(), stack.stackName(), executing.parameters());
        stack.status("ROLLBACK_IN_PROGRESS", INTERRUPTED + " Rollback requested by the restart.");
        // Whatever the crash left made of the template goes; one it never made answers that it does not exist.
        for (ResourceDefinition declared : target.resources().reversed()) {
            try {
                provisioner.remove(target, declared);
            } catch (ServiceException neverMade) {
                // Nothing of it to remove.
            }
            stack.resource(declared.logicalId(), declared.type(), declared.physicalId(), "DELETE_COMPLETE", null);
        }
        stack.status("ROLLBACK_COMPLETE", null);
        finish(stack, executing);
    }

    /** An update cut short: what was deployed before is deployed again, and what the update added is removed. */
    private void rollBackInterruptedUpdate(DeployedStack stack) {
        StackRecords.ChangeSet executing = executing(stack);
        StackDefinition target = resolver.resolve(executing.templateBody(), stack.stackName(), executing.parameters());
        StackDefinition before = resolver.resolve(stack.templateBody(), stack.stackName(), stack.parameters());
        stack.status("UPDATE_ROLLBACK_IN_PROGRESS", INTERRUPTED);
        for (ResourceDefinition added : target.resources()) {
            if (resourceOf(before, added.logicalId()).isEmpty()) {
                provisioner.remove(target, added);
                stack.resource(added.logicalId(), added.type(), added.physicalId(), "DELETE_COMPLETE", null);
            }
        }
        for (ResourceDefinition kept : before.resources()) {
            stack.resource(kept.logicalId(), kept.type(), provisioner.provision(before, kept), "UPDATE_COMPLETE", null);
        }
        stack.definition(before);
        stack.status("UPDATE_ROLLBACK_COMPLETE", null);
        finish(stack, executing);
    }

    private static StackRecords.ChangeSet executing(DeployedStack stack) {
        return stack.changeSets().stream().filter(changeSet -> changeSet.executionStatus().equals(
                "EXECUTE_IN_PROGRESS")).findFirst().orElseThrow(() -> new IllegalStateException("its deployment was"
                        + " cut short and the change set it ran is not known."));
    }

    /** The stacks that exist, in name order. */
    public List<DeployedStack> stacks() {
        return live.values().stream().sorted((left, right) -> left.stackName().compareTo(right.stackName())).toList();
    }

    /** A stack by name, or by id (a deleted stack too), or CloudFormation's ValidationError. */
    public DeployedStack stack(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> doesNotExist(nameOrId));
    }

    private Optional<DeployedStack> find(String nameOrId) {
        if (nameOrId == null) {
            return Optional.empty();
        }
        DeployedStack byName = live.get(nameOrId);
        if (byName != null) {
            return Optional.of(byName);
        }
        return Stream.concat(live.values().stream(), deleted.values().stream())
                .filter(stack -> stack.stackId().equals(nameOrId)).findFirst();
    }

    static ServiceException doesNotExist(String nameOrId) {
        return new ServiceException(400, "ValidationError", "Stack with id " + nameOrId + " does not exist");
    }

    /** Creates a change set, and for a CREATE the stack it will make, in REVIEW_IN_PROGRESS. */
    public StackRecords.ChangeSet createChangeSet(ChangeSetRequest request) {
        if (request.stackName() == null || request.changeSetName() == null) {
            throw new ServiceException(400, "ValidationError", "StackName and ChangeSetName are required.");
        }
        String type = request.type() == null ? "UPDATE" : request.type();
        DeployedStack existing = live.get(request.stackName());
        boolean creates = type.equals("CREATE");
        if (creates && existing != null && !existing.status().equals("REVIEW_IN_PROGRESS")) {
            throw new ServiceException(400, "AlreadyExistsException", "Stack [" + request.stackName() + "] already"
                    + " exists and cannot be created again with the changeSet [" + request.changeSetName() + "].");
        }
        if (!creates && (existing == null || existing.definition().isEmpty())) {
            throw new ServiceException(400, "ValidationError", "Stack:" + request.stackName() + " is in "
                    + (existing == null ? "no" : existing.status()) + " state and can not be updated.");
        }
        Map<String, String> parameters = parameters(request, existing);
        DeployedStack stack = existing != null ? existing : reviewed(request.stackName());
        String id = "arn:aws:cloudformation:" + region + ":" + account + ":changeSet/" + request.changeSetName() + "/"
                + UUID.randomUUID();
        String status = "CREATE_COMPLETE";
        String reason = null;
        List<StackRecords.ResourceChange> changes = List.of();
        try {
            StackDefinition target = resolver.resolve(request.templateBody(), request.stackName(), parameters);
            requireCapabilities(target, request.capabilities());
            changes = changes(stack.definition().orElse(null), target);
            boolean same = Objects.equals(stack.templateBody(), request.templateBody())
                    && stack.parameters().equals(parameters) && stack.tags().equals(request.tags());
            if (!creates && (changes.isEmpty() || same)) {
                status = "FAILED";
                reason = NO_CHANGES;
            }
        } catch (IllegalArgumentException | IllegalStateException invalid) {
            status = "FAILED";
            reason = "Template error: " + invalid.getMessage();
        }
        StackRecords.ChangeSet changeSet = new StackRecords.ChangeSet(id, request.changeSetName(), type, status, reason,
                status.equals("FAILED") ? "UNAVAILABLE" : "AVAILABLE", request.templateBody(), parameters,
                request.tags(), request.capabilities(), changes, Instant.now(), request.description());
        stack.putChangeSet(changeSet);
        stack.reviewed(request.templateBody(), parameters, request.tags(), request.capabilities());
        keep(stack);
        return changeSet;
    }

    private DeployedStack reviewed(String stackName) {
        DeployedStack stack = new DeployedStack("arn:aws:cloudformation:" + region + ":" + account + ":stack/"
                + stackName + "/" + UUID.randomUUID(), stackName, Instant.now());
        stack.status("REVIEW_IN_PROGRESS", "User Initiated");
        live.put(stackName, stack);
        return stack;
    }

    /** The parameters a change set deploys: those given, the previous values where it says so, else defaults. */
    private static Map<String, String> parameters(ChangeSetRequest request, DeployedStack existing) {
        Map<String, String> parameters = new LinkedHashMap<>();
        request.parameters().forEach((key, value) -> {
            String previous = existing == null ? null : existing.parameters().get(key);
            if (value != null) {
                parameters.put(key, value);
            } else if (previous != null) {
                parameters.put(key, previous);
            }
        });
        return parameters;
    }

    /** CloudFormation refuses to create IAM resources without the capability that acknowledges them. */
    private static void requireCapabilities(StackDefinition target, List<String> given) {
        boolean iam = target.resources().stream().anyMatch(resource -> resource.type().startsWith("AWS::IAM::"));
        if (iam && !given.contains("CAPABILITY_IAM") && !given.contains("CAPABILITY_NAMED_IAM")) {
            throw new ServiceException(400, "InsufficientCapabilitiesException", "Requires capabilities :"
                    + " [CAPABILITY_IAM]");
        }
    }

    /** What deploying the target would change, resource by resource, against what is deployed (null: nothing). */
    private static List<StackRecords.ResourceChange> changes(StackDefinition current, StackDefinition target) {
        List<StackRecords.ResourceChange> changes = new ArrayList<>();
        for (ResourceDefinition resource : target.resources()) {
            Optional<ResourceDefinition> before = current == null ? Optional.empty()
                    : resourceOf(current, resource.logicalId());
            if (before.isEmpty()) {
                changes.add(new StackRecords.ResourceChange("Add", resource.logicalId(), null, resource.type(), null));
            } else if (!current.fingerprint(before.get()).equals(target.fingerprint(resource))) {
                changes.add(new StackRecords.ResourceChange("Modify", resource.logicalId(), before.get().physicalId(),
                        resource.type(), "False"));
            }
        }
        if (current != null) {
            for (ResourceDefinition resource : current.resources()) {
                if (resourceOf(target, resource.logicalId()).isEmpty()) {
                    changes.add(new StackRecords.ResourceChange("Remove", resource.logicalId(), resource.physicalId(),
                            resource.type(), null));
                }
            }
        }
        return changes;
    }

    private static Optional<ResourceDefinition> resourceOf(StackDefinition definition, String logicalId) {
        return definition.resources().stream().filter(resource -> resource.logicalId().equals(logicalId)).findFirst();
    }

    /**
     * Runs a change set to its end: each resource made, changed or removed, with its events; a resource that cannot
     * be made fails the deployment, which rolls back as CloudFormation does.
     */
    public void executeChangeSet(String stackName, String changeSetName) {
        DeployedStack stack = stackOfChangeSet(stackName, changeSetName);
        StackRecords.ChangeSet changeSet = stack.changeSet(changeSetName).orElseThrow(() -> changeSetNotFound(
                changeSetName));
        if (!changeSet.executionStatus().equals("AVAILABLE")) {
            throw new ServiceException(400, "InvalidChangeSetStatus", "ChangeSet [" + changeSet.id() + "] cannot be"
                    + " executed in its current status of [" + changeSet.status() + "]");
        }
        StackDefinition current = stack.definition().orElse(null);
        StackDefinition target = resolver.resolve(changeSet.templateBody(), stack.stackName(), changeSet.parameters());
        boolean creates = current == null;
        String verb = creates ? "CREATE" : "UPDATE";
        stack.status(verb + "_IN_PROGRESS", "User Initiated");
        // Kept before any resource is touched, so a restart after a crash knows to roll this deployment back.
        stack.putChangeSet(changeSet.withExecutionStatus("EXECUTE_IN_PROGRESS"));
        keep(stack);
        List<ResourceDefinition> done = new ArrayList<>();
        try {
            for (StackRecords.ResourceChange change : changeSet.changes()) {
                if (!change.action().equals("Remove")) {
                    ResourceDefinition resource = resourceOf(target, change.logicalId()).orElseThrow();
                    String operation = change.action().equals("Add") ? "CREATE" : "UPDATE";
                    stack.resource(resource.logicalId(), resource.type(), Objects.toString(change.physicalId(), ""),
                            operation + "_IN_PROGRESS", null);
                    String physicalId = provision(stack, target, resource, operation);
                    done.add(resource);
                    stack.resource(resource.logicalId(), resource.type(), physicalId, operation + "_COMPLETE", null);
                }
            }
        } catch (ResourceProvisioner.ProvisioningException failed) {
            rollBack(stack, current, target, done, creates);
            finish(stack, changeSet);
            return;
        }
        if (!creates) {
            stack.status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", null);
            for (StackRecords.ResourceChange change : changeSet.changes()) {
                if (change.action().equals("Remove")) {
                    remove(stack, current, resourceOf(current, change.logicalId()).orElseThrow());
                }
            }
        }
        stack.deployed(target, changeSet.templateBody(), changeSet.parameters(), changeSet.tags(),
                changeSet.capabilities());
        stack.status(verb + "_COMPLETE", null);
        finish(stack, changeSet);
    }

    private String provision(DeployedStack stack, StackDefinition target, ResourceDefinition resource,
            String operation) {
        try {
            return provisioner.provision(target, resource);
        } catch (ResourceProvisioner.ProvisioningException failed) {
            stack.resource(resource.logicalId(), resource.type(), "", operation + "_FAILED", failed.getMessage());
            throw failed;
        } catch (RuntimeException unexpected) {
            String reason = "The local cloud failed to " + operation.toLowerCase(Locale.ROOT) + " "
                    + resource.logicalId() + ": " + unexpected.getMessage();
            stack.resource(resource.logicalId(), resource.type(), "", operation + "_FAILED", reason);
            throw new ResourceProvisioner.ProvisioningException(reason);
        }
    }

    /** Undoes what a failed deployment did, as CloudFormation's rollback does. */
    private void rollBack(DeployedStack stack, StackDefinition current, StackDefinition target,
            List<ResourceDefinition> done, boolean creates) {
        String failedIds = stack.resources().stream().filter(resource -> resource.status().endsWith("_FAILED"))
                .map(StackRecords.Resource::logicalId).toList().toString();
        if (creates) {
            stack.status("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: " + failedIds
                    + ". Rollback requested by user.");
            for (ResourceDefinition resource : done.reversed()) {
                remove(stack, target, resource);
            }
            stack.resources().stream().filter(resource -> resource.status().endsWith("_FAILED"))
                    .forEach(resource -> stack.resource(resource.logicalId(), resource.type(), "", "DELETE_COMPLETE",
                            null));
            stack.status("ROLLBACK_COMPLETE", null);
            return;
        }
        stack.status("UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: " + failedIds + ".");
        for (ResourceDefinition resource : done.reversed()) {
            Optional<ResourceDefinition> before = resourceOf(current, resource.logicalId());
            if (before.isPresent()) {
                stack.resource(resource.logicalId(), resource.type(), before.get().physicalId(), "UPDATE_COMPLETE",
                        null);
                provisioner.provision(current, before.get());
            } else {
                remove(stack, target, resource);
            }
        }
        for (StackRecords.Resource failed : stack.resources()) {
            if (failed.status().endsWith("_FAILED")) {
                resourceOf(current, failed.logicalId()).ifPresentOrElse(
                        before -> stack.resource(before.logicalId(), before.type(), provisioner.provision(current,
                                before), "UPDATE_COMPLETE", null),
                        () -> stack.resource(failed.logicalId(), failed.type(), "", "DELETE_COMPLETE", null));
            }
        }
        stack.status("UPDATE_ROLLBACK_COMPLETE", null);
    }

    private void remove(DeployedStack stack, StackDefinition definition, ResourceDefinition resource) {
        stack.resource(resource.logicalId(), resource.type(), resource.physicalId(), "DELETE_IN_PROGRESS", null);
        provisioner.remove(definition, resource);
        stack.resource(resource.logicalId(), resource.type(), resource.physicalId(), "DELETE_COMPLETE", null);
    }

    private void finish(DeployedStack stack, StackRecords.ChangeSet executed) {
        for (StackRecords.ChangeSet changeSet : stack.changeSets()) {
            stack.putChangeSet(changeSet.withExecutionStatus(changeSet.id().equals(executed.id())
                    ? "EXECUTE_COMPLETE" : "OBSOLETE"));
        }
        keep(stack);
    }

    DeployedStack stackOfChangeSet(String stackName, String changeSetName) {
        if (stackName != null) {
            return stack(stackName);
        }
        return live.values().stream().filter(stack -> stack.changeSet(changeSetName).isPresent()).findFirst()
                .orElseThrow(() -> changeSetNotFound(changeSetName));
    }

    static ServiceException changeSetNotFound(String changeSetName) {
        return new ServiceException(404, "ChangeSetNotFound", "ChangeSet [" + changeSetName + "] does not exist");
    }

    /**
     * Deletes a stack and its resources, last made first (those it is told to retain, or whose DeletionPolicy is
     * Retain, are left). Deleting a stack that does not exist succeeds, as in CloudFormation.
     */
    public void deleteStack(String stackName, List<String> retain) {
        Optional<DeployedStack> found = find(stackName).filter(stack -> live.containsValue(stack));
        if (found.isEmpty()) {
            return;
        }
        DeployedStack stack = found.get();
        stack.status("DELETE_IN_PROGRESS", "User Initiated");
        keep(stack);
        StackDefinition definition = stack.definition().orElse(null);
        for (StackRecords.Resource resource : stack.resources().reversed()) {
            Optional<ResourceDefinition> declared = definition == null ? Optional.empty()
                    : resourceOf(definition, resource.logicalId());
            boolean retained = retain.contains(resource.logicalId()) || declared.map(definition::retainedOnDelete)
                    .orElse(false);
            if (retained || declared.isEmpty()) {
                stack.resource(resource.logicalId(), resource.type(), resource.physicalId(), "DELETE_SKIPPED", null);
                continue;
            }
            try {
                remove(stack, definition, declared.get());
            } catch (RuntimeException failed) {
                stack.resource(resource.logicalId(), resource.type(), resource.physicalId(), "DELETE_FAILED",
                        failed.getMessage());
                stack.status("DELETE_FAILED", "The following resource(s) failed to delete: [" + resource.logicalId()
                        + "]. ");
                keep(stack);
                return;
            }
        }
        stack.status("DELETE_COMPLETE", null);
        live.remove(stack.stackName());
        deleted.put(stack.stackId(), stack);
        stacks.delete(stack.stackName());
    }

    /** Keeps a stack that is not the preloaded one in the store. */
    private void keep(DeployedStack stack) {
        stacks.put(stack.stackName(), stack.snapshot());
    }
}
