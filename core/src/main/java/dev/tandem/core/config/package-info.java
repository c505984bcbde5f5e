/**
 * Configuration from the environment and an optional {@code .env} file: typed reads that collect every problem so that start-up reports all of them at once, with secrets masked wherever values are shown.
 */
package dev.tandem.core.config;
