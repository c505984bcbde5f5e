/**
 * What a feature module contributes to a process (migrations, jobs, routes, readiness checks, encrypted columns) and the roles a process runs.
 */
package dev.tandem.core.module;
