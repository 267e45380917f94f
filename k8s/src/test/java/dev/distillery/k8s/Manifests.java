package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One rendered overlay, every document parsed into fabric8's typed model classes (the Strimzi resources, which
 * fabric8 has no classes for, as {@link GenericKubernetesResource}).
 */
record Manifests(String overlay, String yaml, List<HasMetadata> objects) {

    static final String STRIMZI_GROUP = "kafka.strimzi.io";
    static final String STRIMZI_API_VERSION = STRIMZI_GROUP + "/v1";
    /** Prometheus Operator resources (PodMonitor), also without fabric8 classes here. */
    static final String MONITORING_GROUP = "monitoring.coreos.com";

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    /** Renders (once per test JVM) and parses an overlay of k8s/overlays. */
    static Manifests of(String overlay) {
        Manifests cached = RENDERED.get(overlay);
        if (cached != null) {
            return cached;
        }
        String yaml = Kubectl.kustomize(Repository.overlay(overlay));
        Manifests parsed = parse(overlay, yaml);
        RENDERED.put(overlay, parsed);
        return parsed;
    }

    static Manifests parse(String name, String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : DOCUMENT_SEPARATOR.split(yaml)) {
            if (document.isBlank()) {
                continue;
            }
            objects.add(parseDocument(name, document));
        }
        return new Manifests(name, yaml, List.copyOf(objects));
    }

    /** Parses one YAML document into its typed class; fails when the kind is not a known, typed Kubernetes kind. */
    static HasMetadata parseDocument(String source, String document) {
        KubernetesResource parsed;
        try {
            parsed = SERIALIZATION.unmarshal(document);
        } catch (RuntimeException e) {
            throw new AssertionError(source + ": a rendered document does not parse as a Kubernetes object: "
                    + e.getMessage() + "\n" + document, e);
        }
        if (!(parsed instanceof HasMetadata object)) {
            throw new AssertionError(source + ": not a Kubernetes object with metadata: " + document);
        }
        if (object instanceof GenericKubernetesResource && !object.getApiVersion().startsWith(STRIMZI_GROUP + "/")
                && !object.getApiVersion().equals(MONITORING_GROUP + "/v1")) {
            // fabric8 knows every built-in kind: a generic result means a wrong apiVersion or a misspelled kind.
            throw new AssertionError(source + ": " + object.getApiVersion() + " " + object.getKind() + " "
                    + object.getMetadata().getName() + " is not a known Kubernetes kind (misspelled kind or apiVersion?)");
        }
        return object;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                overlay + ": no " + type.getSimpleName() + " named " + name + " in the rendered overlay"));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    List<GenericKubernetesResource> strimzi(String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getApiVersion().startsWith(STRIMZI_GROUP + "/") && kind.equals(r.getKind())).toList();
    }

    /** Every custom resource but those of {@code group}: parsing admits only Strimzi and monitoring ones. */
    List<GenericKubernetesResource> customResourcesBut(String group) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> !r.getApiVersion().startsWith(group + "/")).toList();
    }

    List<GenericKubernetesResource> monitoring(String kind) {
        return all(GenericKubernetesResource.class).stream()
                .filter(r -> r.getApiVersion().startsWith(MONITORING_GROUP + "/") && kind.equals(r.getKind())).toList();
    }

    Deployment deployment(DistilleryService service) {
        return get(Deployment.class, service.module());
    }

    ConfigMap configMap(String name) {
        return get(ConfigMap.class, name);
    }

    Secret secret(String name) {
        return get(Secret.class, name);
    }
}
