/**
 * The command line and the composition root ({@link dev.tandem.app.Wiring}): the only place that sees every module and creates the long-lived objects of a process.
 */
package dev.tandem.app;
