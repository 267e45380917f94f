package dev.distillery.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the source tree: the k8s module and the service modules beside it. */
final class Repository {

    private Repository() {
    }

    /** The k8s module directory (Maven runs tests there; {@code basedir} says so explicitly). */
    static Path k8sModule() {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (Files.isDirectory(base.resolve("overlays"))) {
            return base;
        }
        Path fromRoot = base.resolve("k8s");
        if (Files.isDirectory(fromRoot.resolve("overlays"))) {
            return fromRoot;
        }
        throw new AssertionError("cannot find the k8s module (no overlays/ under " + base + ")");
    }

    static Path root() {
        return k8sModule().getParent();
    }

    static Path overlay(String name) {
        return k8sModule().resolve("overlays").resolve(name);
    }

    static Path module(String name) {
        return root().resolve(name);
    }
}
