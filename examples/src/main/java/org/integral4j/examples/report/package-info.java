/**
 * Reporting for the example programs: progress bars on a terminal (plain log lines when the output
 * is redirected), result tables as CSV and plots as PNG.
 */
package org.integral4j.examples.report;
