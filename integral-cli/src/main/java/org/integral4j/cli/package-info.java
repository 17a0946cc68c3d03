/**
 * The command line of Integral4J for users with a saved DL4J model, packaged as one executable jar
 * ({@code java -jar integral-cli/target/integral4j-cli.jar}): {@link org.integral4j.cli.IntegralCli}
 * with the commands {@code info} (a model's resizable channel groups and costs) and {@code resize}
 * (a smaller plain DL4J network, and optionally the integral model).
 *
 * <p>Options are parsed by picocli (one class per command, shared option groups as mixins);
 * outputs are written all or nothing ({@code OutputFiles}); the conversion shows a progress bar
 * on a terminal ({@code ConversionProgress}, me.tongfei:progressbar). Only the entry point is
 * public. This package prints to the streams it is given (that is its job); the library it calls
 * logs through SLF4J.
 */
package org.integral4j.cli;
