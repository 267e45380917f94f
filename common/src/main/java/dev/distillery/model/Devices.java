package dev.distillery.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * {@code auto|cpu|gpu} to a DJL device. A GPU needs the CUDA build of the PyTorch natives: build with the root pom's
 * Maven property {@code -Ddjl.pytorch.native.artifact=pytorch-native-cu124} (and the matching versions), or point
 * {@code PYTORCH_LIBRARY_PATH} at a CUDA libtorch; with the default CPU natives the engine sees no GPU.
 */
public final class Devices {

    private Devices() {
    }

    public static Device resolve(String device) {
        String d = device == null ? "auto" : device.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        return switch (d) {
            case "", "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("device gpu requested but the PyTorch engine sees no GPU"
                            + " (CPU natives, or no CUDA driver)");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("device must be auto, cpu or gpu, got " + device);
        };
    }
}
