/**
 * The Sync app: cross-workspace channel sync. Its engine, Home tab and federation arrive with their issues; today it contributes its readiness entry.
 */
package dev.tandem.sync;
