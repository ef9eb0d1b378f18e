package dev.teal.gateway.upstream;

/** The one state of a color; the {@code Router} alone writes it. */
public enum ColorState {
    /** The routing snapshot sends this service's new requests here; finished connections are pooled. */
    SERVING,
    /** Stopped serving; requests routed before the switch finish, their connections close when they end. */
    DRAINING,
    /** Neither serving nor draining: nothing is routed here and nothing is pooled. */
    IDLE
}
