/**
 * Confirmation of a cutover on the data plane: find every gateway replica (the ready endpoints of the gateway's admin
 * Service), ask each one's {@code GET /status} whether it serves the target color and has drained the old one, and
 * sum that up without ever claiming a confirmation that was not given.
 *
 * <p>Start at {@link dev.teal.controller.cutover.CutoverConfirmer}; {@link dev.teal.controller.cutover.GatewayReplicas}
 * finds replicas, {@link dev.teal.controller.cutover.ReplicaProbe} asks one, {@link dev.teal.controller.cutover.Confirmation}
 * is the verdict. {@link dev.teal.controller.cutover.HealthGate} is the switch gate of a front Service with
 * {@code teal.dev/health-path}: every replica's own health checks find the target usable.
 * {@link dev.teal.controller.cutover.GuardFigures} sums every replica's guard window figures of a color (counts added,
 * latency histograms merged bucket by bucket) for a front Service with {@code teal.dev/guard}.
 */
package dev.teal.controller.cutover;
