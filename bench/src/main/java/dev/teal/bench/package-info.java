/**
 * The Teal bench: {@link dev.teal.bench.Main} parses the command line and runs scenarios ({@code scenario}) against
 * targets ({@code target}) with load from {@code load}, then writes JSON and the HTML report ({@code report}); {@code compare --profile} adds bytes allocated and
 * system calls per request ({@code profile}). Start
 * reading at {@link dev.teal.bench.Main}, then {@link dev.teal.bench.scenario.CompareScenario}.
 */
package dev.teal.bench;
