/**
 * The {@code swinserve} command-line clients: {@link
 * dev.swinserve.launcher.remote.ClassifyCommand}, {@link
 * dev.swinserve.launcher.remote.ModelsCommand} and {@link
 * dev.swinserve.launcher.remote.BenchCommand}. Exit codes: 0 success, 1 a call or an image failed
 * (bench: no measured request succeeded), 2 a usage error (bad option, missing file).
 */
package dev.swinserve.launcher.remote;
