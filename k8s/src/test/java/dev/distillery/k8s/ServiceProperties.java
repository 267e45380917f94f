package dev.distillery.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A service's {@code src/main/resources/application.properties} as it runs in a pod: the prod profile, with the
 * container's environment variables overriding keys the way Quarkus maps them ({@code a.b-c} <- {@code A_B_C}).
 */
final class ServiceProperties {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private final DistilleryService service;
    private final Map<String, String> properties;

    private ServiceProperties(DistilleryService service, Map<String, String> properties) {
        this.service = service;
        this.properties = properties;
    }

    static ServiceProperties of(DistilleryService service) {
        Path file = file(service);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(service.module() + " has no " + Repository.root().relativize(file)
                    + ": the manifests cannot be checked against its configuration");
        }
        Properties raw = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(reader);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        Map<String, String> prod = new HashMap<>();
        for (String key : raw.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                prod.putIfAbsent(key, raw.getProperty(key));
            }
        }
        for (String key : raw.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                prod.put(key.substring("%prod.".length()), raw.getProperty(key));
            }
        }
        return new ServiceProperties(service, Map.copyOf(prod));
    }

    static Path file(DistilleryService service) {
        return Repository.module(service.module()).resolve("src/main/resources/application.properties");
    }

    Set<String> keys() {
        return properties.keySet();
    }

    /** Every key this service is known to read: its application.properties plus the conventions' keys. */
    Set<String> knownKeys() {
        Set<String> known = new java.util.HashSet<>(service.conventionKeys());
        known.addAll(properties.keySet());
        return Set.copyOf(known);
    }

    /** Known keys by their environment variable name. */
    Map<String, String> knownKeysByEnvironmentName() {
        return knownKeys().stream().collect(Collectors.toMap(DistilleryService::environmentName, Function.identity(),
                (a, b) -> a));
    }

    /** The value of a key in a container with the given environment, expressions resolved; empty when unset. */
    Optional<String> value(String key, Map<String, String> environment) {
        return resolve(key, environment, 0);
    }

    private Optional<String> resolve(String key, Map<String, String> environment, int depth) {
        if (depth > 10) {
            throw new AssertionError(service.module() + ": expression loop resolving " + key);
        }
        String fromEnvironment = environment.get(DistilleryService.environmentName(key));
        String raw = fromEnvironment != null ? fromEnvironment : properties.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        Matcher m = EXPRESSION.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Optional<String> inner = resolve(m.group(1), environment, depth + 1);
            String replacement = inner.orElse(m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return Optional.of(out.toString());
    }
}
