package xrayasync.localcloud.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.yaml.snakeyaml.Yaml;
import xrayasync.localcloud.LocalCloud;
import xrayasync.localcloud.lambda.LambdaService;
import xrayasync.localcloud.template.FunctionDefinition;
import xrayasync.localcloud.template.SamTemplate;
import xrayasync.localcloud.template.StackDefinition;
import xrayasync.localcloud.xray.TraceId;

/**
 * Cold and warm starts of four variants under the local cloud, interleaved to cancel drift, read from Lambda's REPORT
 * lines: bare (no SDK), naive (the usual sample), and our two functions as built for deployment.
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

    private final Path root;
    private final Path work;
    private final PrintStream out;

    public ColdStartBenchmark(Path root, Path work, PrintStream out) {
        this.root = root;
        this.work = work;
        this.out = out;
    }

    public void run(int coldStarts, int warmCalls) throws Exception {
        Path template = writeTemplate();
        List<Variant> variants = List.of(
                new Variant("bare", "Bare", "{}".getBytes()),
                new Variant("naive", "Naive", Files.readAllBytes(root.resolve("events/triggering-event.json"))),
                new Variant("TriggeringFunction", "TriggeringFunction",
                        Files.readAllBytes(root.resolve("events/triggering-event.json"))),
                new Variant("TriggeredFunction", "TriggeredFunction",
                        Files.readAllBytes(root.resolve("events/triggered-event.json"))));
        Map<String, Figures> figures = new LinkedHashMap<>();
        variants.forEach(variant -> figures.put(variant.label(), new Figures(new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), 0, 0)));
        try (LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(template, Map.of(), List.of("a", "b", "c"),
                work.resolve("cloud"), Duration.ofSeconds(1), 1, null))) {
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
        LambdaService.Target target = cloud.lambda().resolve(cloud.stack().function(variant.logicalId()).name(), null);
        LambdaService.SyncResult result = cloud.lambda().invoke(target, variant.event(),
                "Root=" + TraceId.create() + ";Sampled=1");
        if (result.outcome().failed()) {
            throw new IllegalStateException(variant.label() + " failed: " + result.outcome().payloadText());
        }
        // The variants that invoke the sink asynchronously must not have it running during the next measurement.
        cloud.lambda().asyncQueue().awaitIdle(Duration.ofMinutes(1));
        return ReportLine.find(cloud.log().lines(target.function().name()), result.requestId());
    }

    /**
     * The benchmark stack: our functions with the settings template.yaml deploys them with, the same memory for bare
     * and naive, and a bare sink that the two invoking variants call asynchronously.
     */
    private Path writeTemplate() throws IOException {
        StackDefinition deployed = StackDefinition.resolve(SamTemplate.load(root.resolve("template.yaml")), root,
                "bench", "us-east-1", "123456789012", Map.of());
        FunctionDefinition triggering = deployed.function("TriggeringFunction");
        FunctionDefinition triggered = deployed.function("TriggeredFunction");
        String flags = triggering.environment().get("JAVA_TOOL_OPTIONS");
        Map<String, Object> resources = new LinkedHashMap<>();
        resources.put("Bare", function(root.resolve("benchmark/BareFunction"), "xrayasync.bench.bare.BareHandler",
                triggering, Map.of("JAVA_TOOL_OPTIONS", flags)));
        resources.put("Naive", function(root.resolve("benchmark/NaiveFunction"), "xrayasync.bench.naive.NaiveHandler",
                triggering, Map.of("TRIGGERED_FUNCTION_NAME", Map.of("Ref", "Sink"))));
        Map<String, Object> triggeringVariables = new LinkedHashMap<>(triggering.environment());
        triggeringVariables.put("TRIGGERED_FUNCTION_NAME", Map.of("Ref", "Sink"));
        resources.put("TriggeringFunction", function(triggering.codeDirectory(), handlerClass(triggering), triggering,
                triggeringVariables));
        resources.put("TriggeredFunction", function(triggered.codeDirectory(), handlerClass(triggered), triggered,
                triggered.environment()));
        resources.put("Sink", function(root.resolve("benchmark/BareFunction"), "xrayasync.bench.bare.BareHandler",
                triggering, Map.of("JAVA_TOOL_OPTIONS", flags)));
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
        for (String ours : List.of("TriggeringFunction", "TriggeredFunction")) {
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
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
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
