/**
 * TLS termination: the HTTPS listener's pipeline ({@link dev.teal.gateway.tls.TlsInitializer}: SNI, handshake, ALPN,
 * then the same HTTP/1.1 proxy pipeline as the plain listener), the certificates it serves
 * ({@link dev.teal.gateway.tls.CertificateStore}, reloaded from files and Kubernetes Secrets without dropping a
 * connection) and the provider choice ({@link dev.teal.gateway.tls.TlsProvider}). Start reading at
 * {@code CertificateStore}.
 */
package dev.teal.gateway.tls;
