package dev.teal.bench.backend;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ColorBackendMain blue=9001 green=9101 red=9201:errors=5,delay=0}: serves until killed. */
public final class ColorBackendMain {
    private ColorBackendMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, ColorBackend.Fault> faults = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            String[] portFault = kv[1].split(":", 2);
            ports.put(kv[0], Integer.parseInt(portFault[0]));
            if (portFault.length == 2) {
                faults.put(kv[0], ColorBackend.Fault.parse(portFault[1]));
            }
        }
        ColorBackend backend = ColorBackend.start(ports, faults);
        Runtime.getRuntime().addShutdownHook(new Thread(backend::close));
        System.out.println("color backend ready " + ports);
        Thread.currentThread().join();
    }
}
