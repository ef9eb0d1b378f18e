/**
 * Child processes of a bench run: the gateway, nginx, HAProxy, wrk and the Java backends. {@link
 * dev.teal.bench.process.ManagedProcess} starts one (optionally pinned to a core with {@code taskset}), logs its output
 * into the run's work directory and kills it on close or at JVM exit. {@link dev.teal.bench.process.Tools} finds the
 * Debian binaries and fails with the install hint when one is missing; {@link dev.teal.bench.process.Cpus} decides the
 * load core and the server core; {@link dev.teal.bench.process.ProcessCpu} reads a process tree's CPU time.
 */
package dev.teal.bench.process;
