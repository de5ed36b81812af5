package xrayasync.localcloud.harness;

import picocli.CommandLine.Option;

/** The options that name the caller and callee in the template; xray-async's own two functions by default. */
public final class FunctionPairOptions {

    @Option(names = "--caller", defaultValue = "TriggeringFunction",
            description = "Logical id of the function that invokes the other asynchronously (default: ${DEFAULT-VALUE})")
    String caller;

    @Option(names = "--callee", defaultValue = "TriggeredFunction",
            description = "Logical id of the function it invokes (default: ${DEFAULT-VALUE})")
    String callee;

    public FunctionPair pair() {
        return new FunctionPair(caller, callee);
    }
}
