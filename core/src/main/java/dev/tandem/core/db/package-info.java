/**
 * The database: {@code DATABASE_URL} parsing (SQLite, PostgreSQL, MySQL/MariaDB), the HikariCP pool with JDBI, and per-module Flyway migrations that are safe when several processes start at once.
 */
package dev.tandem.core.db;
