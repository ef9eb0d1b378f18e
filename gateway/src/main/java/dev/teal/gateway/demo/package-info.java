/**
 * The live demo ({@code java -jar teal-gateway.jar demo}): two {@link dev.teal.gateway.demo.DemoBackend}s (blue and
 * green), a gateway in front of them, load from {@link dev.teal.gateway.demo.Demo}'s clients, and switches while it
 * runs. The backend is also what the tests start as a real upstream.
 */
package dev.teal.gateway.demo;
