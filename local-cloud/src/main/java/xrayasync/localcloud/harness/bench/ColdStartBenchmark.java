package xrayasync.localcloud.harness.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.yaml.snakeyaml.Yaml;
import xrayasync.localcloud.core.LocalCloud;
import xrayasync.localcloud.core.lambda.InvocationTarget;
import xrayasync.localcloud.core.lambda.LambdaService;
import xrayasync.localcloud.core.template.FunctionDefinition;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.core.template.StackDefinition;
import xrayasync.localcloud.core.xray.TraceHeader;
import xrayasync.localcloud.core.xray.XRayIds;
import xrayasync.localcloud.harness.FunctionPair;

/**
 * Cold and warm starts of four variants under the local cloud, interleaved to cancel drift, read from Lambda's REPORT
 * lines: bare (no SDK), naive (the usual sample), and the pair's two functions as built for deployment.
 */
public final class ColdStartBenchmark {

    /** One function measured: what it is called in the table, its logical id, the event it gets. */
    record Variant(String label, String logicalId, byte[] event) {
    }

    /** Figures of one variant. */
    record Figures(List<Double> init, List<Double> firstInvoke, List<Double> warm, long maxMemoryMb, long packageBytes) {

        /** What a caller waits on a cold start: init plus the first invocation. */
        List<Double> coldStart() {
            List<Double> totals = new ArrayList<>();
            for (int i = 0; i < init.size(); i++) {
                totals.add(init.get(i) + firstInvoke.get(i));
            }
            return totals;
        }
    }

    /**
     * What to measure.
     *
     * @param root the repository, whose benchmark/ folder holds the bare and naive functions
     * @param template the template that declares the pair as it is deployed
     * @param callerEvent what the caller (and naive, which does the caller's work) is invoked with
     * @param calleeEvent what the callee is invoked with
     */
    public record Setup(Path root, Path template, FunctionPair pair, byte[] callerEvent, byte[] calleeEvent) {
    }

    private static final String STACK_NAME = "bench";

    private final Setup setup;
    private final Path work;
    private final PrintStream out;

    public ColdStartBenchmark(Setup setup, Path work, PrintStream out) {
        this.setup = setup;
        this.work = work;
        this.out = out;
    }

    public void run(int coldStarts, int warmCalls) throws Exception {
        Path template = writeTemplate();
        FunctionPair pair = setup.pair();
        List<Variant> variants = List.of(
                new Variant("bare", "Bare", "{}".getBytes(StandardCharsets.UTF_8)),
                new Variant("naive", "Naive", setup.callerEvent()),
                new Variant(pair.callerLogicalId(), pair.callerLogicalId(), setup.callerEvent()),
                new Variant(pair.calleeLogicalId(), pair.calleeLogicalId(), setup.calleeEvent()));
        Map<String, Figures> figures = new LinkedHashMap<>();
        variants.forEach(variant -> figures.put(variant.label(), new Figures(new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), 0, 0)));
        try (LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(template, Map.of(), STACK_NAME, Map.of(),
                List.of("a", "b", "c"), work.resolve("cloud"), Duration.ofSeconds(1), 1, 0, null))) {
            for (int round = 1; round <= coldStarts; round++) {
                out.printf("cold start round %d of %d%n", round, coldStarts);
                for (Variant variant : variants) {
                    cloud.lambda().retireEnvironments(variant.logicalId());
                    ReportLine report = invoke(cloud, variant);
                    figures.get(variant.label()).init().add(report.initDurationMillis());
                    figures.get(variant.label()).firstInvoke().add(report.durationMillis());
                }
            }
            out.printf("%d warm calls per variant%n", warmCalls);
            Map<String, Long> memory = new LinkedHashMap<>();
            for (int call = 0; call < warmCalls; call++) {
                for (Variant variant : variants) {
                    ReportLine report = invoke(cloud, variant);
                    figures.get(variant.label()).warm().add(report.durationMillis());
                    memory.put(variant.label(), report.maxMemoryUsedMb());
                }
            }
            for (Variant variant : variants) {
                Figures measured = figures.get(variant.label());
                figures.put(variant.label(), new Figures(measured.init(), measured.firstInvoke(), measured.warm(),
                        memory.get(variant.label()),
                        zippedSize(work.resolve("cloud/task").resolve(variant.logicalId()))));
            }
        }
        print(figures, coldStarts, warmCalls);
    }

    private ReportLine invoke(LocalCloud cloud, Variant variant) throws Exception {
        InvocationTarget target = cloud.lambda().resolve(cloud.stack().function(variant.logicalId()).name(), null);
        LambdaService.SyncResult result = cloud.lambda().invoke(target, variant.event(),
                TraceHeader.newSampledTrace(XRayIds.system()));
        if (result.outcome().failed()) {
            throw new IllegalStateException(variant.label() + " failed: " + result.outcome().payloadText());
        }
        // The variants that invoke the sink asynchronously must not have it running during the next measurement.
        cloud.lambda().asyncQueue().awaitIdle(Duration.ofMinutes(1));
        return ReportLine.find(cloud.log().lines(target.function().name()), result.requestId());
    }

    /**
     * The benchmark stack: the pair with the settings its template deploys it with, the same memory for bare and
     * naive, and a bare sink that the two invoking variants call asynchronously (the caller's variables that named
     * the callee name the sink instead).
     */
    private Path writeTemplate() throws IOException {
        StackDefinition deployed = StackDefinition.resolve(SamTemplate.load(setup.template()),
                setup.template().toAbsolutePath().getParent(), STACK_NAME, LocalCloud.Settings.REGION,
                LocalCloud.Settings.ACCOUNT, Map.of());
        FunctionDefinition caller = deployed.function(setup.pair().callerLogicalId());
        FunctionDefinition callee = deployed.function(setup.pair().calleeLogicalId());
        String flags = caller.environment().get("JAVA_TOOL_OPTIONS");
        Map<String, Object> bareVariables = flags == null ? Map.of() : Map.of("JAVA_TOOL_OPTIONS", flags);
        Path benchmarks = setup.root().resolve("benchmark");
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("Bare", function(benchmarks.resolve("BareFunction"), "xrayasync.bench.bare.BareHandler", caller,
                bareVariables));
        resources.put("Naive", function(benchmarks.resolve("NaiveFunction"), "xrayasync.bench.naive.NaiveHandler",
                caller, Map.of("TRIGGERED_FUNCTION_NAME", Map.of("Ref", "Sink"))));
        Map<String, Object> callerVariables = new LinkedHashMap<>(caller.environment());
        caller.environment().forEach((variable, value) -> {
            if (value.contains(callee.name())) {
                callerVariables.put(variable, Map.of("Ref", "Sink"));
            }
        });
        resources.put(caller.logicalId(), function(caller.codeDirectory(), handlerClass(caller), caller,
                callerVariables));
        resources.put(callee.logicalId(), function(callee.codeDirectory(), handlerClass(callee), callee,
                callee.environment()));
        resources.put("Sink", function(benchmarks.resolve("BareFunction"), "xrayasync.bench.bare.BareHandler", caller,
                bareVariables));
        Files.createDirectories(work);
        Path template = work.resolve("benchmark-template.yaml");
        Files.writeString(template, new Yaml().dump(Map.of("Transform", "AWS::Serverless-2016-10-31",
                "Resources", resources)));
        return template;
    }

    private static String handlerClass(FunctionDefinition function) {
        return function.handler().substring(0, function.handler().indexOf("::"));
    }

    private static Map<String, Object> function(Path code, String handlerClass, FunctionDefinition settings,
            Map<String, ?> variables) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("CodeUri", code.toString());
        properties.put("Handler", handlerClass + "::handleRequest");
        properties.put("Runtime", settings.runtime());
        properties.put("MemorySize", settings.memoryMb());
        properties.put("Timeout", settings.timeoutSeconds());
        properties.put("Tracing", "Active");
        properties.put("Environment", Map.of("Variables", variables));
        return Map.of("Type", SamTemplate.FUNCTION_TYPE, "Properties", properties);
    }

    /** The size of the zip sam package would upload for a task root: classes plus lib/, deflated. */
    static long zippedSize(Path taskRoot) throws IOException {
        CountingStream counter = new CountingStream();
        try (ZipOutputStream zip = new ZipOutputStream(counter); Stream<Path> files = Files.walk(taskRoot)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(taskRoot.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return counter.count;
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            count += length;
        }
    }

    private void print(Map<String, Figures> figures, int coldStarts, int warmCalls) {
        Runtime runtime = Runtime.getRuntime();
        out.printf("%nMachine: %d processors, %d GiB memory, Java %s (%s), %s %s; %d cold starts and %d warm calls per"
                        + " variant, interleaved%n%n", runtime.availableProcessors(), totalMemoryGib(),
                System.getProperty("java.version"), System.getProperty("java.vm.vendor"), System.getProperty("os.name"),
                System.getProperty("os.arch"), coldStarts, warmCalls);
        out.printf("%-30s", "figure (min / median / max)");
        figures.keySet().forEach(label -> out.printf("%-28s", label));
        out.println();
        row("init duration (ms)", figures, Figures::init);
        row("first invoke duration (ms)", figures, Figures::firstInvoke);
        row("cold start, init + first (ms)", figures, Figures::coldStart);
        out.printf("%-30s", "warm invoke p50 (ms)");
        figures.values().forEach(value -> out.printf("%-28s", String.format("%.2f", median(value.warm()))));
        out.println();
        out.printf("%-30s", "max memory used (MB)");
        figures.values().forEach(value -> out.printf("%-28d", value.maxMemoryMb()));
        out.println();
        out.printf("%-30s", "package, zipped (MiB)");
        figures.values().forEach(value -> out.printf("%-28s", String.format("%.2f", value.packageBytes() / 1048576.0)));
        out.println();
        double bare = median(figures.get("bare").init());
        double naive = median(figures.get("naive").init());
        double naiveColdStart = median(figures.get("naive").coldStart());
        double bareWarm = median(figures.get("bare").warm());
        out.println();
        for (String ours : List.of(setup.pair().callerLogicalId(), setup.pair().calleeLogicalId())) {
            Figures measured = figures.get(ours);
            out.printf("%s: init %.2fx bare (goal <= 1.5), %.2fx naive (goal <= 0.5); cold start (init + first invoke)"
                            + " %.2fx naive; warm overhead %.2f ms over bare (goal <= 2); max memory %d MB (goal <= 150);"
                            + " package %.2f MiB (goal <= 10)%n", ours, median(measured.init()) / bare,
                    median(measured.init()) / naive, median(measured.coldStart()) / naiveColdStart,
                    median(measured.warm()) - bareWarm, measured.maxMemoryMb(), measured.packageBytes() / 1048576.0);
        }
    }

    private void row(String name, Map<String, Figures> figures, Function<Figures, List<Double>> figure) {
        out.printf("%-30s", name);
        figures.values().forEach(value -> {
            List<Double> sorted = figure.apply(value).stream().sorted().toList();
            out.printf("%-28s", String.format("%.0f / %.0f / %.0f", sorted.getFirst(), median(sorted),
                    sorted.getLast()));
        });
        out.println();
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static long totalMemoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0);
                }
            }
        } catch (IOException unreadable) {
            return 0;
        }
        return 0;
    }
}
