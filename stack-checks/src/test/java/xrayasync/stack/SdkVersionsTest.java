package xrayasync.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import xrayasync.localcloud.harness.ProjectRoot;

/**
 * Every module builds on one AWS SDK for Java version: the functions of both flavors, the benchmark's functions and
 * the local cloud (docs/performance.md says why that version). Each pom is standalone, so each names it again.
 */
class SdkVersionsTest {

    private static final String SDK_GROUP = "software.amazon.awssdk";

    @Test
    void everyModuleNamesTheSameAwsSdkVersion() throws Exception {
        Path root = ProjectRoot.locate();
        Map<String, List<String>> modulesByVersion = new TreeMap<>();
        for (String module : modules(root)) {
            for (String version : sdkVersions(root.resolve(module).resolve("pom.xml"))) {
                modulesByVersion.computeIfAbsent(version, any -> new ArrayList<>()).add(module);
            }
        }
        assertFalse(modulesByVersion.isEmpty(), "No module of " + root.resolve("pom.xml") + " names an AWS SDK"
                + " version: this check found nothing to compare.");
        assertEquals(1, modulesByVersion.size(), "The modules name several AWS SDK versions " + modulesByVersion
                + ": move them all to one (the newest that resolves for every module) and say why in docs/performance.md.");
    }

    private static List<String> modules(Path root) throws Exception {
        NodeList modules = parse(root.resolve("pom.xml")).getElementsByTagName("module");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < modules.getLength(); i++) {
            names.add(modules.item(i).getTextContent().trim());
        }
        return names;
    }

    /** The versions a pom gives to artifacts of the SDK's group, with its own properties resolved. */
    private static TreeSet<String> sdkVersions(Path pom) throws Exception {
        Document document = parse(pom);
        Map<String, String> properties = new TreeMap<>();
        NodeList propertyBlocks = document.getElementsByTagName("properties");
        for (int i = 0; i < propertyBlocks.getLength(); i++) {
            for (Node property = propertyBlocks.item(i).getFirstChild(); property != null;
                    property = property.getNextSibling()) {
                if (property instanceof Element element) {
                    properties.put(element.getTagName(), element.getTextContent().trim());
                }
            }
        }
        TreeSet<String> versions = new TreeSet<>();
        NodeList groups = document.getElementsByTagName("groupId");
        for (int i = 0; i < groups.getLength(); i++) {
            Node group = groups.item(i);
            if (!SDK_GROUP.equals(group.getTextContent().trim())) {
                continue;
            }
            NodeList siblings = group.getParentNode().getChildNodes();
            for (int j = 0; j < siblings.getLength(); j++) {
                if (siblings.item(j) instanceof Element element && element.getTagName().equals("version")) {
                    String version = element.getTextContent().trim();
                    versions.add(version.startsWith("${")
                            ? properties.getOrDefault(version.substring(2, version.length() - 1), version) : version);
                }
            }
        }
        return versions;
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }
}
