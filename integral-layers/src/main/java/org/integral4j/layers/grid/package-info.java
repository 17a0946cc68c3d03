/**
 * Per-model grid state: named channel groups ({@link org.integral4j.layers.grid.ChannelGroup}),
 * concatenations ({@link org.integral4j.layers.grid.CompositeChannelGroup}) and their container
 * ({@link org.integral4j.layers.grid.ChannelGroups}). No global registry exists.
 */
package org.integral4j.layers.grid;
