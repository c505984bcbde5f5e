/**
 * Logging support: secret redaction for the readable and the JSON log formats. The Logback
 * configuration ({@code logback.xml} in this module) picks the format from the
 * {@code tandem.log.format} system property, which the launcher sets from {@code TANDEM_LOG_FORMAT}.
 */
package dev.tandem.core.log;
