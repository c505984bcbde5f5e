/**
 * Core's settings and its own module contributions. Core knows no feature: Sync and Leave build on it and never on each other.
 */
package dev.tandem.core;
