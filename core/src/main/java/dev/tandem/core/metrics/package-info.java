/**
 * The process's Micrometer registry in Prometheus format, with JVM and process meters bound.
 */
package dev.tandem.core.metrics;
