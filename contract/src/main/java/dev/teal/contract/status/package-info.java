/**
 * The admin {@code GET /status} document as records: {@link dev.teal.contract.status.StatusDocument} holds a
 * {@link dev.teal.contract.status.ServiceStatus} per service, each with its colors, endpoints and drains. The gateway
 * writes it, the controller reads it, both through {@link dev.teal.contract.status.StatusJson}. The field names and
 * shape are the README's; a new field is added, never renamed.
 */
package dev.teal.contract.status;
