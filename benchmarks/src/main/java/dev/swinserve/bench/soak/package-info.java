/**
 * The soak benchmark ({@code swinserve benchmark soak}): a real server under mixed good load while
 * its repository, labels and endpoints change and bad inputs arrive; it counts good calls that
 * failed, by cause, and follows the server's resident size. {@link
 * dev.swinserve.bench.soak.SoakScenario} runs it; {@link dev.swinserve.bench.soak.ChaosPlan}
 * decides what happens when.
 */
package dev.swinserve.bench.soak;
