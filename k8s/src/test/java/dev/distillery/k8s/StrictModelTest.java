package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strictness the overlay tests rely on, shown on hand-written manifests (no kubectl needed). */
class StrictModelTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              selector:
                matchLabels: {app: d}
              template:
                metadata:
                  labels: {app: d}
                spec:
                  containers:
                    - name: c
                      image: distillery/student-service:0.1.0
                      %s
                      resources:
                        limits: {cpu: "1"}
            """;

    @Test
    void aCorrectManifestHasNoUnknownField() {
        HasMetadata parsed = Manifests.parseDocument("test", DEPLOYMENT.formatted("readinessProbe: {httpGet: {path: /q/health/ready, port: 8080}}"));
        assertInstanceOf(Deployment.class, parsed);
        assertEquals(List.of(), StrictModel.unknownFields(parsed));
    }

    @Test
    void aMisspelledFieldIsFoundWithItsPath() {
        HasMetadata parsed = Manifests.parseDocument("test", DEPLOYMENT.formatted("readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}"));
        assertEquals(List.of("spec.template.spec.containers[0].readinesProbe"), StrictModel.unknownFields(parsed));
    }

    @Test
    void aMisspelledNestedFieldIsFound() {
        HasMetadata parsed = Manifests.parseDocument("test", DEPLOYMENT.formatted("readinessProbe: {httpGet: {pth: /q/health/ready, port: 8080}}"));
        List<String> unknown = StrictModel.unknownFields(parsed);
        assertEquals(List.of("spec.template.spec.containers[0].readinessProbe.httpGet.pth"), unknown);
    }

    @Test
    void aMisspelledKindIsRejected() {
        AssertionError error = assertThrows(AssertionError.class,
                () -> Manifests.parseDocument("test", DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet")
                        .formatted("")));
        assertTrue(error.getMessage().contains("not a known Kubernetes kind"), error.getMessage());
    }
}
