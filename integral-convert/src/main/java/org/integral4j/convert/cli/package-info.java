/**
 * The command line of Integral4J for users with a saved DL4J model: {@link
 * org.integral4j.convert.cli.IntegralCli} ({@code info} shows a model's resizable channel groups
 * and costs, {@code resize} writes a smaller plain DL4J network and optionally the integral model).
 *
 * <p>Only the entry point is public; argument parsing ({@code CommandLine}), model-file detection
 * ({@code ModelFile}) and input-type parsing ({@code InputTypes}) are package-private helpers. This
 * package prints to the streams it is given (that is its job); the library it calls logs through
 * SLF4J.
 */
package org.integral4j.convert.cli;
