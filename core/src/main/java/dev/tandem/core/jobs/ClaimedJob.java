package dev.tandem.core.jobs;

import java.util.Optional;

/** A job as claimed for one attempt. */
record ClaimedJob(long id, String kind, String payload, int attempt, int maxAttempts, Optional<String> orderingKey) {}
