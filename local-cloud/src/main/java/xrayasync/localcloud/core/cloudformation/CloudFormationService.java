package xrayasync.localcloud.core.cloudformation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import xrayasync.localcloud.core.http.ServiceException;
import xrayasync.localcloud.core.template.StackDefinition;

/** CloudFormation's state as the local cloud keeps it: the stacks it holds, by name, each as deployed. */
public final class CloudFormationService {

    /**
     * A stack as CloudFormation reports it.
     *
     * @param definition what its template declares, resolved
     * @param created when it was created
     * @param status its status, such as CREATE_COMPLETE
     */
    public record Stack(StackDefinition definition, Instant created, String status) {
    }

    private final Map<String, Stack> stacks = new ConcurrentHashMap<>();

    /** Holds a stack that exists from the start: created when the cloud started, complete. */
    public void preload(StackDefinition definition, Instant created) {
        stacks.put(definition.stackName(), new Stack(definition, created, "CREATE_COMPLETE"));
    }

    /** The stacks in name order. */
    public List<Stack> stacks() {
        return stacks.values().stream()
                .sorted((left, right) -> left.definition().stackName().compareTo(right.definition().stackName()))
                .toList();
    }

    /** The stack a StackName parameter names, by name or by its id, or CloudFormation's ValidationError. */
    public Stack stack(String nameOrId) {
        return Optional.ofNullable(nameOrId)
                .flatMap(wanted -> stacks.values().stream()
                        .filter(stack -> stack.definition().stackName().equals(wanted)
                                || stack.definition().stackId().equals(wanted))
                        .findFirst())
                .orElseThrow(() -> new ServiceException(400, "ValidationError", "Stack with id " + nameOrId
                        + " does not exist"));
    }
}
