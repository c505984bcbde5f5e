/**
 * The HTTP server of every process: liveness, readiness (one entry per registered check) and Prometheus metrics, with the body limit, security headers, request ids and JSON errors every route shares.
 */
package dev.tandem.core.web;
