package xrayasync.localcloud.core.lambda;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import xrayasync.localcloud.core.template.FunctionDefinition;

/**
 * A function Lambda holds: its unpublished $LATEST, the versions published from it (each keeps the settings and code
 * it was published with), the alias that points at the newest, and the stack that created it.
 */
public final class LambdaFunction {

    static final String LATEST = "$LATEST";

    /** One version of the function: $LATEST or a published number. */
    public record Version(String number, FunctionDefinition definition, TaskRoot code, Instant lastModified) {
    }

    /** The stack that created the function, as CloudFormation tags it. */
    public record Owner(String stackName, String stackId) {
    }

    private final String name;
    private final Owner owner;
    private final List<Version> published = new CopyOnWriteArrayList<>();
    private volatile Version latest;

    LambdaFunction(Version latest, Owner owner) {
        this.name = latest.definition().name();
        this.latest = latest;
        this.owner = owner;
    }

    public String name() {
        return name;
    }

    public Owner owner() {
        return owner;
    }

    public Version latest() {
        return latest;
    }

    /** The published versions, oldest first. */
    public List<Version> published() {
        return List.copyOf(published);
    }

    /** The alias's name, from $LATEST's AutoPublishAlias, or null. */
    public String alias() {
        return latest.definition().alias();
    }

    /** The version the alias points at: the newest published one. */
    public Optional<Version> aliasVersion() {
        return alias() == null || published.isEmpty() ? Optional.empty() : Optional.of(published.getLast());
    }

    /** A version by its number ($LATEST included). */
    public Optional<Version> version(String number) {
        if (number.equals(LATEST)) {
            return Optional.of(latest);
        }
        return published.stream().filter(version -> version.number().equals(number)).findFirst();
    }

    void replaceLatest(Version version) {
        latest = version;
    }

    /** Publishes $LATEST as the next version number. */
    Version publish(Instant at) {
        Version version = new Version(Integer.toString(published.size() + 1), latest.definition(), latest.code(), at);
        published.add(version);
        return version;
    }
}
