/**
 * Durable jobs: enqueue in the caller's transaction, claim with leases and {@code SKIP LOCKED}, fenced completion, retries with backoff and jitter, dead letter, per-key ordering, scheduled jobs and recurring sweeps. Threads, locks and retries are described in docs/ARCHITECTURE.md.
 */
package dev.tandem.core.jobs;
