package dev.teal.gateway;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM/SIGINT run {@code stop} (once) instead of ending the JVM, so the process can stop gracefully and exit 0
 * (a plain shutdown hook would exit 143). Falls back to a shutdown hook where signals cannot be handled. SIGHUP runs
 * {@code reload} (each time, on a thread of its own) instead of ending the JVM.
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
                    new Thread(stop, "teal-signal").start();
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

    /**
     * SIGHUP runs {@code reload}. Answers false where it cannot: with {@code -Xrs}, or when the parent ignores SIGHUP
     * (nohup, some supervisors): the JVM then installs no handler and the signal stays ignored.
     */
    static boolean onHangup(Runnable reload) {
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), s -> {
                Thread t = new Thread(reload, "teal-sighup");
                t.setDaemon(true);
                t.start();
            });
            return previous != SignalHandler.SIG_IGN;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}
