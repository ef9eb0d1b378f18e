/**
 * The Teal controller: a small leader-elected Kubernetes controller that turns a change of {@code teal.dev/active}
 * on a front Service into a gated, confirmed cutover.
 *
 * <p>Start reading at {@link dev.teal.controller.TealController} (assembly and lifecycle), then
 * {@link dev.teal.controller.reconcile.FrontServiceReconciler} (the cutover itself). Packages: {@code reconcile}
 * (desired state, status, work queue), {@code cutover} (confirmation on gateway replicas), {@code cluster} (API
 * reads and writes), {@code election} (Lease), {@code metrics} (meters and the metrics listener).
 */
package dev.teal.controller;
