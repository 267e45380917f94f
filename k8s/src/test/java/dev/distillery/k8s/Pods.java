package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading a Deployment's pod the way the kubelet will run it. */
final class Pods {

    /** Stands for a value that comes from a Secret: its presence is checked, its content is not. */
    static final String FROM_SECRET = "<from secret>";

    private Pods() {
    }

    static PodSpec spec(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec();
    }

    static Map<String, String> labels(Deployment deployment) {
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    /** The service's one application container (the Deployments have no sidecars). */
    static Container container(Deployment deployment) {
        List<Container> containers = spec(deployment).getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(deployment.getMetadata().getName() + " should run exactly one container, has "
                    + containers.size());
        }
        return containers.get(0);
    }

    /**
     * The container's environment as the process sees it: envFrom ConfigMaps/Secrets first, then env entries
     * (which win). ConfigMaps and Secrets must exist in the rendered overlay.
     */
    static Map<String, String> environment(Manifests manifests, Deployment deployment) {
        Container container = container(deployment);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource source : nullSafe(container.getEnvFrom())) {
            String prefix = source.getPrefix() == null ? "" : source.getPrefix();
            if (source.getConfigMapRef() != null) {
                ConfigMap map = manifests.configMap(source.getConfigMapRef().getName());
                nullSafe(map.getData()).forEach((k, v) -> env.put(prefix + k, v));
            }
            if (source.getSecretRef() != null) {
                Secret secret = manifests.secret(source.getSecretRef().getName());
                secretKeys(secret).forEach(k -> env.put(prefix + k, FROM_SECRET));
            }
        }
        for (EnvVar var : nullSafe(container.getEnv())) {
            if (var.getValueFrom() == null) {
                env.put(var.getName(), var.getValue() == null ? "" : var.getValue());
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = var.getValueFrom().getConfigMapKeyRef();
                String value = nullSafe(manifests.configMap(ref.getName()).getData()).get(ref.getKey());
                if (value == null) {
                    throw new AssertionError(deployment.getMetadata().getName() + ": env " + var.getName()
                            + " refers to key " + ref.getKey() + " missing from ConfigMap " + ref.getName());
                }
                env.put(var.getName(), value);
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                var ref = var.getValueFrom().getSecretKeyRef();
                Secret secret = manifests.secret(ref.getName());
                if (!secretKeys(secret).contains(ref.getKey())) {
                    throw new AssertionError(deployment.getMetadata().getName() + ": env " + var.getName()
                            + " refers to key " + ref.getKey() + " missing from Secret " + ref.getName());
                }
                env.put(var.getName(), FROM_SECRET);
            } else {
                env.put(var.getName(), "<from " + var.getValueFrom() + ">");
            }
        }
        return env;
    }

    static java.util.Set<String> secretKeys(Secret secret) {
        java.util.Set<String> keys = new java.util.HashSet<>(nullSafe(secret.getData()).keySet());
        keys.addAll(nullSafe(secret.getStringData()).keySet());
        return keys;
    }

    static String secretValue(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key);
        }
        String encoded = nullSafe(secret.getData()).get(key);
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }

    static Optional<VolumeMount> mountAt(Container container, String path) {
        return nullSafe(container.getVolumeMounts()).stream()
                .filter(m -> normalize(m.getMountPath()).equals(normalize(path)))
                .findFirst();
    }

    static Volume volume(Deployment deployment, String name) {
        return nullSafe(spec(deployment).getVolumes()).stream()
                .filter(v -> name.equals(v.getName()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(deployment.getMetadata().getName()
                        + " mounts volume " + name + " which its pod does not declare"));
    }

    /** A container port number from a probe's or Service's port, which may be a name. */
    static int portNumber(Container container, IntOrString port) {
        if (port == null) {
            throw new AssertionError(container.getName() + ": port not set");
        }
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return nullSafe(container.getPorts()).stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named " + port.getStrVal()));
    }

    /** matchLabels semantics (the manifests use no matchExpressions; one would fail here rather than be ignored). */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new AssertionError("matchExpressions are not evaluated by these tests: " + selector);
        }
        return nullSafe(selector.getMatchLabels()).entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static boolean selects(Map<String, String> matchLabels, Map<String, String> labels) {
        return matchLabels != null && !matchLabels.isEmpty() && matchLabels.entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static String normalize(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    static <K, V> Map<K, V> nullSafe(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
