/**
 * The {@code swinserve} command-line clients: {@link dev.swinserve.client.cli.ClassifyCommand} and
 * {@link dev.swinserve.client.cli.ModelsCommand}. Exit codes: 0 success, 1 a call or an image
 * failed, 2 a usage error (bad option, missing file).
 */
package dev.swinserve.client.cli;
