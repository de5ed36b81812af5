package xrayasync.localcloud;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import xrayasync.localcloud.core.template.SamTemplate;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * The local cloud's direction: a core that emulates AWS for any SAM template, and this app's harness on top of it.
 * The core depends on nothing of the harness and names nothing of this app.
 */
class ArchitectureTest {

    private static final String CORE = "xrayasync.localcloud.core";
    private static final String HARNESS = "xrayasync.localcloud.harness";
    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("xrayasync.localcloud");

    @Test
    void coreDependsOnNothingOfTheHarness() {
        noClasses().that().resideInAPackage(CORE + "..")
                .should().dependOnClassesThat().resideInAPackage(HARNESS + "..")
                .check(MAIN_CLASSES);
    }

    @Test
    void coreServicesHaveNoDependencyCycles() {
        slices().matching(CORE + ".(*)..").should().beFreeOfCycles().check(MAIN_CLASSES);
    }

    @Test
    void harnessCommandsHaveNoDependencyCycles() {
        slices().matching(HARNESS + ".(*)..").should().beFreeOfCycles().check(MAIN_CLASSES);
    }

    /**
     * The app's names are read from its own template (function ids, parameters, the variables it sets) and
     * samconfig.toml (the stack name), so a name the app adds later is covered too.
     */
    @Test
    void coreSourceNamesNoFunctionParameterOrVariableOfThisApp() throws IOException {
        Path root = ProjectRoot.locate();
        Set<String> appNames = appNames(root);
        List<String> findings = new ArrayList<>();
        Path core = root.resolve("local-cloud/src/main/java").resolve(CORE.replace('.', '/'));
        try (Stream<Path> sources = Files.walk(core)) {
            for (Path source : sources.filter(file -> file.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source, StandardCharsets.UTF_8);
                appNames.stream().filter(text::contains)
                        .forEach(name -> findings.add(root.relativize(source) + " names " + name));
            }
        }

        assertFalse(appNames.isEmpty(), "the template should name functions and parameters");
        assertEquals(List.of(), findings);
    }

    private static Set<String> appNames(Path root) throws IOException {
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        Set<String> names = new TreeSet<>(template.functionIds());
        names.addAll(template.parameters().keySet());
        for (String function : template.functionIds()) {
            Object environment = template.functionProperties(function).get("Environment");
            if (environment != null) {
                names.addAll(SamTemplate.map(SamTemplate.map(environment).get("Variables")).keySet());
            }
        }
        String stackName = Files.readAllLines(root.resolve("samconfig.toml"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("stack_name"))
                .map(line -> line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')))
                .findFirst().orElseThrow(() -> new IllegalStateException("samconfig.toml names no stack_name"));
        names.add(stackName);
        return names;
    }
}
