package xrayasync.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import xrayasync.localcloud.harness.LocalCloudCommand;

/**
 * Reads the fenced shell blocks of a Markdown document and checks each project command in them against the project:
 * run-offline's and the local cloud's subcommands and flags, sam's --config-env names, the files and folders named.
 */
final class DocumentedCommands {

    /** One thing a document says that the project does not have. */
    record Problem(String document, int line, String command, String reason) {

        @Override
        public String toString() {
            return document + ":" + line + ": " + reason + "\n    in: " + command;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
    private static final Set<String> SHELL_LANGUAGES = Set.of("bash", "sh", "shell", "console");
    private static final String LOCAL_CLOUD_JAR = "local-cloud/target/local-cloud.jar";
    // run-offline's own flags, as its argument loop spells them: `--flavor) …`.
    private static final Pattern SCRIPT_FLAG = Pattern.compile("^\\s*(--[a-z-]+)\\)", Pattern.MULTILINE);
    // run-offline's flavors, as template_of() names them: `xray) echo template.yaml ;;`.
    private static final Pattern SCRIPT_FLAVOR = Pattern.compile("^\\s*([a-z]+)\\) echo ", Pattern.MULTILINE);
    private static final Pattern SAM_ENVIRONMENT = Pattern.compile("^\\[([\\w-]+)\\.", Pattern.MULTILINE);
    // A word that names a file or folder of the repository: relative, with a slash or a file extension.
    private static final Pattern PATH = Pattern.compile("^(\\./)?[\\w.-]+(/[\\w.*-]+)*/?$");
    private static final Pattern FILE_EXTENSION = Pattern.compile(".*\\.(json|ya?ml|toml|jar|sh|html|md|png)$");
    private static final List<String> BUILD_OUTPUTS = List.of("target", ".aws-sam");
    // Flags whose value is a file of the repository, for sam and the local cloud alike.
    private static final Set<String> FILE_FLAGS = Set.of("--template", "--template-file", "--otel-template",
            "--event", "--event-file", "--callee-event", "--agent", "--other-http-client", "--function-template");

    private final Path root;
    private final CommandSpec localCloud;
    private final Set<String> runOfflineFlags = new LinkedHashSet<>();
    private final Set<String> flavors = new LinkedHashSet<>();
    private final Set<String> samEnvironments = new LinkedHashSet<>();

    DocumentedCommands(Path root) throws IOException {
        this.root = root;
        this.localCloud = new CommandLine(new LocalCloudCommand()).getCommandSpec();
        String runOffline = Files.readString(root.resolve("run-offline"));
        matches(SCRIPT_FLAG, runOffline, runOfflineFlags);
        matches(SCRIPT_FLAVOR, runOffline, flavors);
        matches(SAM_ENVIRONMENT, Files.readString(root.resolve("samconfig.toml")), samEnvironments);
    }

    private static void matches(Pattern pattern, String text, Set<String> into) {
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    /** What the document's shell blocks name that the project lacks; empty when every command holds. */
    List<Problem> check(String document, String markdown) {
        List<Problem> problems = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        boolean inShell = false;
        boolean inFence = false;
        StringBuilder command = new StringBuilder();
        int commandLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                inShell = !inFence && SHELL_LANGUAGES.contains(fence.group(1));
                inFence = !inFence;
                continue;
            }
            if (!inShell) {
                continue;
            }
            if (command.isEmpty()) {
                commandLine = i + 1;
            }
            String text = withoutComment(line);
            if (text.endsWith("\\")) {
                command.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            command.append(text);
            for (String part : command.toString().split("&&|\\|\\||;|\\||&(?!\\S)")) {
                List<String> words = words(part);
                if (!words.isEmpty()) {
                    for (String reason : reasons(words)) {
                        problems.add(new Problem(document, commandLine, command.toString().trim(), reason));
                    }
                }
            }
            command.setLength(0);
        }
        return problems;
    }

    private List<String> reasons(List<String> words) {
        List<String> reasons = new ArrayList<>();
        String program = words.getFirst();
        if (program.equals("export") || program.contains("=")) {
            return reasons;
        }
        if (program.startsWith("./") && !Files.exists(root.resolve(program))) {
            reasons.add(program + " is not in the repository");
        }
        switch (program) {
            case "./run-offline" -> checkRunOffline(words, reasons);
            case "java" -> checkLocalCloud(words, reasons);
            case "sam" -> checkSam(words, reasons);
            default -> {
            }
        }
        for (int i = 1; i < words.size(); i++) {
            String previous = flagName(words.get(i - 1));
            checkPath(words.get(i), previous != null && FILE_FLAGS.contains(previous), reasons);
        }
        return reasons;
    }

    private void checkRunOffline(List<String> words, List<String> reasons) {
        CommandSpec run = localCloud.subcommands().get("run").getCommandSpec();
        for (int i = 1; i < words.size(); i++) {
            String flag = flagName(words.get(i));
            if (flag == null) {
                continue;
            }
            if (runOfflineFlags.contains(flag)) {
                String value = words.get(i).contains("=") ? words.get(i).substring(words.get(i).indexOf('=') + 1)
                        : i + 1 < words.size() ? words.get(i + 1) : "";
                if (!flavors.contains(value)) {
                    reasons.add("./run-offline " + flag + " takes " + flavors + ", not '" + value + "'");
                }
            } else if (run.findOption(flag) == null) {
                reasons.add("./run-offline has no flag " + flag + " (its own: " + runOfflineFlags
                        + "; the rest go to local-cloud run, which has " + optionNames(run) + ")");
            }
        }
    }

    private void checkLocalCloud(List<String> words, List<String> reasons) {
        int jar = words.indexOf(LOCAL_CLOUD_JAR);
        if (jar < 0) {
            return;
        }
        if (jar + 1 >= words.size() || words.get(jar + 1).startsWith("-")) {
            for (String flag : words.subList(jar + 1, words.size())) {
                if (localCloud.findOption(flag) == null) {
                    reasons.add("local-cloud has no flag " + flag);
                }
            }
            return;
        }
        String name = words.get(jar + 1);
        CommandLine subcommand = localCloud.subcommands().get(name);
        if (subcommand == null) {
            reasons.add("local-cloud has no subcommand '" + name + "' (it has " + localCloud.subcommands().keySet()
                    + ")");
            return;
        }
        for (String word : words.subList(jar + 2, words.size())) {
            String flag = flagName(word);
            if (flag != null && subcommand.getCommandSpec().findOption(flag) == null) {
                reasons.add("local-cloud " + name + " has no flag " + flag + " (it has "
                        + optionNames(subcommand.getCommandSpec()) + ")");
            }
        }
    }

    private void checkSam(List<String> words, List<String> reasons) {
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            String environment = word.startsWith("--config-env=") ? word.substring("--config-env=".length())
                    : word.equals("--config-env") && i + 1 < words.size() ? words.get(i + 1) : null;
            if (environment != null && !samEnvironments.contains(environment)) {
                reasons.add("samconfig.toml has no environment '" + environment + "' (it has " + samEnvironments + ")");
            }
        }
    }

    /**
     * A word with a slash, or the value of a flag that takes a file, names a repository path: it must exist, or be the
     * build output of a folder that does.
     */
    private void checkPath(String word, boolean fileExpected, List<String> reasons) {
        String candidate = word.replaceFirst("^fileb?://", "");
        candidate = candidate.substring(candidate.indexOf('=') + 1);
        if (!PATH.matcher(candidate).matches() || candidate.contains("*")
                || !(candidate.contains("/") || fileExpected && FILE_EXTENSION.matcher(candidate).matches())) {
            return;
        }
        for (String output : BUILD_OUTPUTS) {
            int at = candidate.indexOf(output + "/");
            if (at == 0 || at > 0 && candidate.charAt(at - 1) == '/') {
                Path producer = root.resolve(candidate.substring(0, at)).normalize();
                if (!Files.isDirectory(producer)) {
                    reasons.add(candidate + " is the build output of " + root.relativize(producer)
                            + "/, which is not in the repository");
                }
                return;
            }
        }
        if (!Files.exists(root.resolve(candidate).normalize())) {
            reasons.add(candidate + " is not in the repository");
        }
    }

    private static String flagName(String word) {
        if (word == null || !word.startsWith("--")) {
            return null;
        }
        int equals = word.indexOf('=');
        return equals < 0 ? word : word.substring(0, equals);
    }

    private static List<String> optionNames(CommandSpec spec) {
        return spec.options().stream().map(option -> option.longestName()).sorted().toList();
    }

    private static String withoutComment(String line) {
        boolean quoted = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                quoted = c != quote;
            } else if (c == '\'' || c == '"') {
                quoted = true;
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }

    /** The words of a command as the shell splits them, quotes removed; $(…) and quoted text stay one word. */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (char c : command.trim().toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
                word.append(c);
            } else if (c == ')') {
                depth--;
                word.append(c);
            } else if (Character.isWhitespace(c) && depth == 0) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
