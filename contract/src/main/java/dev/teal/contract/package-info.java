/**
 * What the gateway and the controller agree on, in one small module that depends on Jackson only.
 *
 * <p>{@link dev.teal.contract.Annotations} names every {@code teal.dev/*} annotation and label;
 * {@link dev.teal.contract.Defaults} the values used when they are absent;
 * {@link dev.teal.contract.ServiceAnnotations} parses the per-service settings both sides validate.
 * {@link dev.teal.contract.Units}, {@link dev.teal.contract.Names} and {@link dev.teal.contract.HostPort} parse
 * durations, sizes, names and addresses the same way for the file, the annotations and the command lines.
 * {@link dev.teal.contract.status.StatusDocument} is the admin {@code GET /status} answer: the gateway writes it,
 * the controller reads it back. {@link dev.teal.contract.guard.Guard} is the one parser and judge of a cutover guard.
 */
package dev.teal.contract;
