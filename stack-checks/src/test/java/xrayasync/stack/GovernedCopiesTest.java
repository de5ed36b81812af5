package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * Code the function folders copy on purpose carries a governed-copy marker, has twins and stays identical: a copy
 * every function shares (grouped by file name), or a copy one function's folders share across the flavors (grouped by
 * the function's package, its role, and file name).
 */
class GovernedCopiesTest {

    static final String MARKER = "// Governed copy: identical across function folders, package line aside"
            + " (stack-checks GovernedCopiesTest).";
    static final String FLAVOR_MARKER = "// Governed copy: identical in this function's folder of every flavor,"
            + " package line aside (stack-checks GovernedCopiesTest).";

    private static final String FUNCTION_TYPE = SamTemplate.FUNCTION_TYPE;
    // Build output (target/, .aws-sam/), dependencies and source trees hold no template of a deployable flavor.
    private static final Set<String> NOT_SEARCHED = Set.of("target", "node_modules", "src");
    private static final Pattern PACKAGE_LINE = Pattern.compile("package\\s+[\\w.]+\\s*;\\s*");
    private static final String ANY_PACKAGE = "package …;";

    private static Path root;
    private static List<Path> functionFolders;
    private static List<Source> sources;
    private static Map<String, List<Source>> governedCopies;

    /** A .java file of a function folder, with its lines as read. */
    private record Source(Path folder, Path file, List<String> lines) {

        /** The group the file is a copy in, or null when it is no governed copy. */
        String copyKey() {
            if (lines.contains(MARKER)) {
                return name();
            }
            return lines.contains(FLAVOR_MARKER) ? roleKey() : null;
        }

        boolean marked() {
            return copyKey() != null;
        }

        String name() {
            return file.getFileName().toString();
        }

        /** The function's role, the last part of the package (triggering, triggered), with the file name. */
        String roleKey() {
            String packageLine = lines.stream().filter(line -> PACKAGE_LINE.matcher(line).matches()).findFirst()
                    .orElse("package ;");
            String packageName = packageLine.replaceAll("package\\s+|\\s*;\\s*", "");
            return packageName.substring(packageName.lastIndexOf('.') + 1) + "/" + name();
        }

        @Override
        public String toString() {
            return root.relativize(file).toString();
        }
    }

    @BeforeAll
    static void scan() throws IOException {
        root = ProjectRoot.locate();
        functionFolders = functionFolders(root);
        sources = new ArrayList<>();
        for (Path folder : functionFolders) {
            sources.addAll(javaSources(folder));
        }
        governedCopies = sources.stream().filter(Source::marked)
                .collect(Collectors.groupingBy(Source::copyKey, TreeMap::new, Collectors.toList()));
    }

    @Test
    void templatesNameFunctionFoldersWithSources() {
        assertFalse(functionFolders.isEmpty(), "No template.yaml under " + root + " declares an " + FUNCTION_TYPE
                + " with a local CodeUri: this check found no function folder to compare.");
        for (Path folder : functionFolders) {
            assertTrue(Files.isDirectory(folder.resolve("src")), "CodeUri " + root.relativize(folder)
                    + " has no src/ folder: point the template's CodeUri at the function's Maven project.");
        }
    }

    @Test
    void functionFoldersShareGovernedCopies() {
        for (String marker : List.of(MARKER, FLAVOR_MARKER)) {
            assertTrue(sources.stream().anyMatch(source -> source.lines().contains(marker)), "No .java file in "
                    + functionFolders + " carries the line '" + marker + "': if the marker's wording changed, change"
                    + " it here and in every copy the same way.");
        }
    }

    @Test
    void everyGovernedCopyHasATwinInAnotherFunctionFolder() {
        List<String> problems = new ArrayList<>();
        governedCopies.forEach((name, copies) -> {
            Set<Path> folders = copies.stream().map(Source::folder).collect(Collectors.toCollection(TreeSet::new));
            if (folders.size() < 2) {
                problems.add(name + " is marked as a governed copy only in " + copies + ", so it is no copy: remove"
                        + " the marker, or copy the file into the other function folder that needs it.");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void governedCopiesAreIdenticalApartFromThePackageLine() {
        List<String> problems = new ArrayList<>();
        governedCopies.forEach((name, copies) -> {
            Source reference = copies.getFirst();
            for (Source copy : copies.subList(1, copies.size())) {
                firstDifference(reference, copy).ifPresent(problems::add);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems)
                + "\nWhat to do: make the same change in every copy; only the package line may differ.");
    }

    @Test
    void noFunctionFolderHoldsAnUnmarkedFileNamedLikeAGovernedCopy() {
        List<String> problems = sources.stream()
                .filter(source -> !source.marked() && twinsOf(source) != null)
                .map(source -> source + " is named like the governed copies " + twinsOf(source)
                        + " but lacks the marker line: if it is a copy, put the marker back and make it identical;"
                        + " if it is unrelated code, rename it.")
                .toList();
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static List<Source> twinsOf(Source source) {
        return governedCopies.getOrDefault(source.name(), governedCopies.get(source.roleKey()));
    }

    private static Optional<String> firstDifference(Source reference, Source copy) {
        List<String> expected = withoutPackage(reference.lines());
        List<String> actual = withoutPackage(copy.lines());
        for (int index = 0; index < Math.max(expected.size(), actual.size()); index++) {
            String left = index < expected.size() ? expected.get(index) : "(end of file)";
            String right = index < actual.size() ? actual.get(index) : "(end of file)";
            if (!left.equals(right)) {
                return Optional.of(copy + " differs from " + reference + " first at line " + (index + 1)
                        + ":\n  " + reference + ": " + left + "\n  " + copy + ": " + right);
            }
        }
        return Optional.empty();
    }

    // The package line becomes a placeholder rather than going away, so line numbers match the files.
    private static List<String> withoutPackage(List<String> lines) {
        List<String> normalized = new ArrayList<>(lines);
        for (int index = 0; index < normalized.size(); index++) {
            if (PACKAGE_LINE.matcher(normalized.get(index)).matches()) {
                normalized.set(index, ANY_PACKAGE);
                break;
            }
        }
        return normalized;
    }

    /** The CodeUri folder of every function of every template.yaml in the repository, each once. */
    private static List<Path> functionFolders(Path root) throws IOException {
        Set<Path> folders = new TreeSet<>();
        for (Path file : templates(root)) {
            SamTemplate template = SamTemplate.load(file);
            for (String function : template.functionIds()) {
                // An S3 location (URI or Bucket/Key) is code built elsewhere, with no source here to compare.
                if (template.functionProperties(function).get("CodeUri") instanceof String local
                        && !local.startsWith("s3://")) {
                    folders.add(file.getParent().resolve(local).normalize());
                }
            }
        }
        return List.copyOf(folders);
    }

    private static List<Path> templates(Path root) throws IOException {
        List<Path> templates = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                String name = directory.getFileName().toString();
                boolean skipped = !directory.equals(root) && (name.startsWith(".") || NOT_SEARCHED.contains(name));
                return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (file.getFileName().toString().equals("template.yaml")) {
                    templates.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return templates;
    }

    private static List<Source> javaSources(Path folder) throws IOException {
        Path src = folder.resolve("src");
        if (!Files.isDirectory(src)) {
            return List.of();
        }
        List<Source> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(src)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                found.add(new Source(folder, file, Files.readAllLines(file)));
            }
        }
        return found;
    }
}
