package dev.distillery.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds fields the typed model did not recognise. fabric8's model classes accept any field and keep the ones they
 * do not know in {@code additionalProperties} (so a misspelled {@code readinesProbe} would parse silently); this
 * walks the parsed object graph and reports every non-empty {@code additionalProperties} with its path.
 */
final class StrictModel {

    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private StrictModel() {
    }

    /** Paths like {@code spec.template.spec.containers[0].readinesProbe} of every field unknown to the model. */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found, seen));
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object element : list) {
                walk(element, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (!type.getName().startsWith(MODEL_PACKAGE) || value instanceof GenericKubernetesResource) {
            // Scalars, enums, and the generic holder of custom resources (checked by their own tests).
            return;
        }
        for (Method getter : type.getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            boolean accessor = name.startsWith("get") && name.length() > 3;
            if (!accessor) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    for (Object key : extra.keySet()) {
                        found.add((path.isEmpty() ? "" : path + ".") + key);
                    }
                }
                continue;
            }
            String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
            walk(child, path.isEmpty() ? field : path + "." + field, found, seen);
        }
    }
}
