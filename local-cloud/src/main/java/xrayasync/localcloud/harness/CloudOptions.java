package xrayasync.localcloud.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import xrayasync.localcloud.core.LocalCloud;

/** The options that say which local cloud to start: template, parameters, buckets, work folder, retry pace. */
final class CloudOptions {

    @Option(names = "--template", defaultValue = "template.yaml", description = "SAM template (default: ${DEFAULT-VALUE})")
    Path template;

    @Option(names = "--function-template", description = "Take a function from another template, as"
            + " LogicalId=path/template.yaml: mixes the flavors, e.g. TriggeredFunction=otel/template.yaml")
    Map<String, Path> functionTemplates = new LinkedHashMap<>();

    @Option(names = "--stack-name", defaultValue = "xray-async",
            description = "Stack name the template is deployed under, as in samconfig.toml (default: ${DEFAULT-VALUE})")
    String stackName;

    @Option(names = "--trace-propagation", description = "TracePropagation parameter: Enabled (the fix) or Disabled"
            + " (reproduces the report)")
    String tracePropagation;

    @Option(names = "--triggered-tracing", description = "TriggeredTracingMode parameter: Active or PassThrough")
    String triggeredTracing;

    @Option(names = "--parameter", description = "Any other template parameter, as Name=Value")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--buckets", split = ",", defaultValue = "photos,invoices,logs",
            description = "Buckets the local S3 lists (default: ${DEFAULT-VALUE})")
    List<String> buckets;

    @Option(names = "--work-dir", description = "Folder the cloud keeps everything in (traces, logs, objects, queues,"
            + " stacks, task roots), one cloud at a time (default: target/local-cloud for serve, target/local-cloud-run"
            + " for run, target/local-cloud-load for load, so run and load work beside a running serve)")
    Path workDirectory;

    @Option(names = "--retry-delay", defaultValue = "PT1S", description = "Wait before the first async retry,"
            + " doubled for each further one; Lambda waits about a minute (default: ${DEFAULT-VALUE})")
    Duration retryDelay;

    @Option(names = "--max-environments", description = "Most execution environments (JVMs) per function at once;"
            + " more invocations wait for a free one (default: one per processor, at least two)")
    Integer maximumEnvironments;

    /**
     * @param port the edge port; 0 for any free one
     * @param defaultWorkDirectory the command's own work folder, unless --work-dir names another
     */
    LocalCloud.Settings settings(int port, Path defaultWorkDirectory) {
        OptionFile.require(template, "--template", "a SAM template such as template.yaml");
        functionTemplates.values().forEach(other -> OptionFile.require(other, "--function-template",
                "LogicalId=path of a SAM template, such as TriggeredFunction=otel/template.yaml"));
        Map<String, String> overrides = new LinkedHashMap<>(parameters);
        if (tracePropagation != null) {
            overrides.put("TracePropagation", tracePropagation);
        }
        if (triggeredTracing != null) {
            overrides.put("TriggeredTracingMode", triggeredTracing);
        }
        // Cold starts are CPU-bound: more JVMs starting at once than processors push init past Lambda's 10 s limit.
        int environments = maximumEnvironments != null ? maximumEnvironments
                : Math.max(2, Runtime.getRuntime().availableProcessors());
        return new LocalCloud.Settings(template, functionTemplates, stackName, overrides, buckets,
                workDirectory != null ? workDirectory : defaultWorkDirectory, retryDelay, environments,
                port, System.out);
    }
}
