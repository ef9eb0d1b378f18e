/** Netty plumbing shared by the Java backends and the Java load generators: the event-loop transport choice. */
package dev.teal.bench.net;
