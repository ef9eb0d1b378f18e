/**
 * The guarded cutover in the gateway. {@link dev.teal.gateway.guard.GuardWindow} counts a guarded color's requests,
 * 5xx and latency buckets per second (on the event loops, allocation-free); its figures appear in {@code /status}
 * for the controller to merge across replicas. {@link dev.teal.gateway.guard.CutoverGuard} (standalone only) judges
 * the new color after each switch and rolls back on a breach. The syntax and the judgement live in the contract
 * module ({@code dev.teal.contract.guard.Guard}).
 */
package dev.teal.gateway.guard;
