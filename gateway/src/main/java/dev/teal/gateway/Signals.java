package dev.teal.gateway;

import sun.misc.Signal;

/**
 * SIGTERM/SIGINT start a graceful stop on a thread of their own, so the process can exit 0 afterwards (a plain
 * shutdown hook would exit 143). Falls back to a shutdown hook where signals cannot be handled.
 */
final class Signals {
    private Signals() {
    }

    static void onTerminate(Runnable stop) {
        Runnable once = new Runnable() {
            private boolean started;

            @Override
            public synchronized void run() {
                if (!started) {
                    started = true;
                    new Thread(stop, "teal-shutdown").start();
                }
            }
        };
        try {
            Signal.handle(new Signal("TERM"), s -> once.run());
            Signal.handle(new Signal("INT"), s -> once.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "teal-shutdown"));
        }
    }
}
