package dev.teal.bench.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ColorBackendMain blue=9001 green=9101}: serves until killed. */
public final class ColorBackendMain {
    private ColorBackendMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            ports.put(kv[0], Integer.parseInt(kv[1]));
        }
        ColorBackend backend = ColorBackend.start(ports);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        System.out.println("color backend ready " + ports);
        Thread.currentThread().join();
    }
}
