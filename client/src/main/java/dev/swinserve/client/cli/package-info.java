/**
 * The {@code swinserve} command-line clients: {@link dev.swinserve.client.cli.ClassifyCommand},
 * {@link dev.swinserve.client.cli.ModelsCommand} and {@link dev.swinserve.client.cli.BenchCommand}.
 * Exit codes: 0 success, 1 a call or an image failed (bench: no measured request succeeded), 2 a
 * usage error (bad option, missing file).
 */
package dev.swinserve.client.cli;
