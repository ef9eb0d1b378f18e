/**
 * The reconcile loop of the controller: for each front Service that carries {@code teal.dev/active}, build the
 * desired state from its annotations, compare it with what the cluster holds, apply the difference, write
 * {@code teal.dev/status}.
 *
 * <p>Start reading at {@link dev.teal.controller.reconcile.FrontServiceReconciler}: one call handles one Service and is
 * idempotent; everything it needs to resume after a leader failover is in the Service's annotations
 * ({@link dev.teal.controller.reconcile.CutoverStatus}). {@link dev.teal.controller.reconcile.TealAnnotations} parses
 * the user's annotations into a typed {@link dev.teal.controller.reconcile.TealSpec} at the edge;
 * {@link dev.teal.controller.reconcile.WorkQueue} runs reconciles one at a time, deduplicated, with requeue delays.
 * With {@code teal.dev/guard} a confirmed cutover bakes ({@code Baking}) and a breach rolls back ({@code RolledBack}).
 */
package dev.teal.controller.reconcile;
