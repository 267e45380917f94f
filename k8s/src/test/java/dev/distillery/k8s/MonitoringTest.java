package dev.distillery.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * What makes the services operable in a cluster: the PodMonitor scrapes every service's metrics port, the Grafana
 * dashboard queries metrics the services publish, JSON logs are on in the pods, and each pod's grace period outlasts
 * the service's graceful shutdown.
 */
class MonitoringTest {

    private static final Pattern METER_NAME = Pattern.compile("\"(distillery(?:\\.[a-z]+)+)\"");
    private static final Pattern PROMQL_METRIC = Pattern.compile("\\b(distillery_[a-z_]+|kafka_[a-z_]+)\\b");

    @Test
    void podMonitorScrapesEveryServiceOnItsHttpPort() {
        Manifests m = Manifests.of("gpu");
        List<GenericKubernetesResource> monitors = m.monitoring("PodMonitor");
        assertEquals(1, monitors.size(), "one PodMonitor for all Distillery pods");
        Map<String, Object> spec = monitors.getFirst().get("spec");
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("podMetricsEndpoints");
        assertEquals(1, endpoints.size());
        assertEquals("/q/metrics", endpoints.getFirst().get("path"));
        String port = (String) endpoints.getFirst().get("port");
        for (DistilleryService service : DistilleryService.values()) {
            Deployment d = m.deployment(service);
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            selector.forEach((k, v) -> assertEquals(v, labels.get(k), service.module() + " pods not selected by " + k));
            Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
            assertTrue(c.getPorts().stream().anyMatch(p -> port.equals(p.getName())),
                    service.module() + " has no container port named " + port);
        }
    }

    @Test
    void dashboardQueriesOnlyMetricsTheServicesPublish() throws IOException {
        ConfigMap dashboard = Manifests.of("gpu").configMap("distillery-grafana-dashboard");
        assertEquals("1", dashboard.getMetadata().getLabels().get("grafana_dashboard"));
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("distillery-dashboard.json"));
        Set<String> published = publishedMetrics();
        Set<String> unknown = new TreeSet<>();
        Set<String> titles = new HashSet<>();
        for (JsonNode panel : json.path("panels")) {
            titles.add(panel.path("title").asText());
            assertFalse(panel.path("targets").isEmpty(), panel.path("title").asText() + " has no query");
            for (JsonNode target : panel.path("targets")) {
                Matcher metric = PROMQL_METRIC.matcher(target.path("expr").asText());
                while (metric.find()) {
                    String name = metric.group(1);
                    if (name.startsWith("distillery_") && !published.contains(baseName(name))) {
                        unknown.add(name);
                    }
                }
            }
        }
        assertEquals(Set.of(), unknown, "dashboard metrics no service publishes (published: " + published + ")");
        for (String wanted : List.of("Labeled per second", "Rejected per second, by reason", "Trainer held-out agreement",
                "Checkpoint version per student", "Student latency", "Coverage: answered by the student")) {
            assertTrue(titles.contains(wanted), "dashboard lacks panel " + wanted);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void jsonLogsAreOnInThePods(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (DistilleryService service : DistilleryService.values()) {
            Map<String, String> env = Pods.environment(m, m.deployment(service));
            assertEquals("true", env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED"), overlay + " " + service.module());
            assertEquals("false", ServiceProperties.of(service).value("quarkus.log.console.json.enabled", Map.of())
                    .orElseThrow(), service.module() + ": JSON logs must be off outside k8s (dev, tests)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "gpu"})
    void gracePeriodOutlastsGracefulShutdown(String overlay) {
        Manifests m = Manifests.of(overlay);
        for (DistilleryService service : List.of(DistilleryService.TEACHER, DistilleryService.TRAINER)) {
            Deployment d = m.deployment(service);
            String timeout = ServiceProperties.of(service).value("quarkus.shutdown.timeout", Pods.environment(m, d))
                    .orElseThrow(() -> new AssertionError(service.module() + " sets no quarkus.shutdown.timeout"));
            Long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            assertTrue(grace != null && grace > Duration.parse("PT" + timeout.toUpperCase()).toSeconds(),
                    overlay + " " + service.module() + ": terminationGracePeriodSeconds " + grace
                            + " must exceed quarkus.shutdown.timeout " + timeout);
        }
    }

    /** Meter names in the services' sources, in Prometheus form (dots to underscores). */
    private static Set<String> publishedMetrics() {
        Set<String> names = new HashSet<>();
        for (DistilleryService service : DistilleryService.values()) {
            Path sources = Repository.module(service.module()).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    try {
                        Matcher m = METER_NAME.matcher(Files.readString(f));
                        while (m.find()) {
                            names.add(m.group(1).replace('.', '_'));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The meter a Prometheus series comes from: without _total, _seconds, _bucket, _count, _sum. */
    private static String baseName(String series) {
        String name = series;
        for (String suffix : new ArrayList<>(List.of("_bucket", "_count", "_sum", "_max"))) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        for (String suffix : List.of("_total", "_seconds")) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }
}
