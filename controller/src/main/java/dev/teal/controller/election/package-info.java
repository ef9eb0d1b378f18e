/**
 * Leader election over a coordination.k8s.io Lease (fabric8 {@code LeaderElector} with a {@code LeaseLock}): only the
 * leader reconciles; a standby takes over once the leader's Lease expires and resumes from what the cluster holds.
 *
 * <p>{@link dev.teal.controller.election.LeaderElection} runs election rounds until it is closed.
 */
package dev.teal.controller.election;
